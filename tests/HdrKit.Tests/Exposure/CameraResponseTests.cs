using HdrKit.Exposure;

namespace HdrKit.Tests.Exposure;

public class CameraResponseTests
{
    [Theory]
    [InlineData(0f, 0.0)]
    [InlineData(0.5f, 0.2176376)]    // 0.5^2.2
    [InlineData(128 / 255f, 0.2195197)] // (128/255)^2.2
    [InlineData(1f, 1.0)]
    public void GammaModelMatchesThePowerLaw(float code, double expected)
    {
        var r = CameraResponse.FromGamma();
        for (int c = 0; c < 3; c++) Assert.Equal(expected, r.ToLinear(c, code), 4);
    }

    [Fact]
    public void EightBitTablesAreReadExactlyAtCodes()
    {
        var table = Enumerable.Range(0, 256).Select(k => (float)k * k).ToArray();
        var r = new CameraResponse(new[] { table, table, table });
        Assert.Equal(100f * 100f, r.ToLinear(1, 100 / 255f), 2);
        Assert.Equal((100f * 100f + 101f * 101f) / 2, r.ToLinear(1, 100.5f / 255f), 1); // linear in between
        Assert.Equal(255f * 255f, r.ToLinear(0, 1.5f));                                  // clamped
    }

    [Fact]
    public void SlopeIsTheDerivative()
    {
        var r = CameraResponse.FromGamma();
        // d/dv v^2.2 = 2.2 v^1.2; at 0.5 that is 0.9575
        Assert.Equal(2.2 * Math.Pow(0.5, 1.2), r.Slope(0, 0.5f), 2);
    }

    [Fact]
    public void DecreasingTablesAreRejected()
    {
        var t = new float[] { 0, 2, 1 };
        var e = Assert.Throws<ArgumentException>(() => new CameraResponse(new[] { t }));
        Assert.Contains("decreases at level 2", e.Message);
    }

    [Fact]
    public void NormalizingFixesTheScale()
    {
        var r = CameraResponse.FromGamma().NormalizedAt(0.5f);
        Assert.Equal(1.0, r.ToLinear(1, 0.5f), 5);
        Assert.Equal(1 / 0.2176376, r.ToLinear(1, 1f), 3);
    }
}
