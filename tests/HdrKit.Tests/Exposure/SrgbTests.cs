using HdrKit.Exposure;

namespace HdrKit.Tests.Exposure;

public class SrgbTests
{
    [Theory]
    // Hand-computed from IEC 61966-2-1: 12.92·x below 0.0031308, else 1.055·x^(1/2.4) − 0.055.
    [InlineData(0.0f, 0.0)]
    [InlineData(0.002f, 0.02584)]             // 12.92 · 0.002, linear segment
    [InlineData(0.0031308f, 0.0404499)]       // the knee: both segments give 0.04045
    [InlineData(0.18f, 0.4613561)]            // 1.055 · 0.18^(1/2.4) − 0.055
    [InlineData(0.5f, 0.7353570)]
    [InlineData(1.0f, 1.0)]
    [InlineData(2.5f, 1.0)]                    // clamped
    [InlineData(-1f, 0.0)]
    [InlineData(float.NaN, 0.0)]
    public void EncodeMatchesTheStandard(float linear, double expected)
    {
        Assert.Equal(expected, Srgb.Encode(linear), 1e-6);
    }

    [Fact]
    public void DecodeInvertsEncode()
    {
        for (float x = 0; x <= 1; x += 1f / 64)
            Assert.Equal(x, Srgb.Decode(Srgb.Encode(x)), 1e-6);
    }
}
