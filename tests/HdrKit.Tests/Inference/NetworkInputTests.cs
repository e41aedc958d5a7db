using HdrKit.Inference;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;

namespace HdrKit.Tests.Inference;

public class NetworkInputTests
{
    // Three 1×1 frames given long, short, middle (to check the sort) with codes 0.8, 0.2, 0.5 and times 1/25,
    // 1/400, 1/100 s: stops relative to the 1/100 s reference are {−2, 0, +2} once sorted.
    private static Bracket Bracket()
    {
        static FloatImage Pixel(float v) => new(1, 1, 3, new[] { v, v, v });
        return new Bracket(new[] { Pixel(0.8f), Pixel(0.2f), Pixel(0.5f) }, new[] { 1 / 25.0, 1 / 400.0, 1 / 100.0 }, referenceIndex: 2);
    }

    [Theory]
    [InlineData(ExposureTimeOrigin.Absolute)]
    [InlineData(ExposureTimeOrigin.ShortestIsOne)]
    public void BracketsPutTheShortestExposureAtOneAsKalantarisFilesDo(ExposureTimeOrigin origin)
    {
        // Kalantari's scene 002 is "0/2/4 stops, t = 1, 4, 16" (parity metadata): a bracket 2 stops apart must match.
        var t = NetworkInput.ExposureTimes(Bracket().SortedByExposure(), origin);
        Assert.Equal(new[] { 1.0, 4.0, 16.0 }, t.Select(v => Math.Round(v, 12)));
    }

    [Theory]
    // H = LDR^2.2 / t, hand-computed: 0.2^2.2 = 0.0289912, 0.5^2.2 = 0.2176376, 0.8^2.2 = 0.6120656.
    [InlineData(InputOrder.LinearFirst, ExposureTimeOrigin.Absolute, new[] { 0.0289912 / 1, 0.2176376 / 4, 0.6120656 / 16 })]
    [InlineData(InputOrder.LdrFirst, ExposureTimeOrigin.Absolute, new[] { 0.0289912 / 1, 0.2176376 / 4, 0.6120656 / 16 })]
    [InlineData(InputOrder.LinearFirst, ExposureTimeOrigin.ShortestIsOne, new[] { 0.0289912 / 1, 0.2176376 / 4, 0.6120656 / 16 })]
    [InlineData(InputOrder.LdrFirst, ExposureTimeOrigin.ShortestIsOne, new[] { 0.0289912 / 1, 0.2176376 / 4, 0.6120656 / 16 })]
    public void BuildsSortedSixChannelExposures(InputOrder order, ExposureTimeOrigin origin, double[] expectedLinear)
    {
        using var x = NetworkInput.Build(Bracket(), order, origin);
        Assert.Equal(new long[] { 1, 3, 6, 1, 1 }, x.shape);
        var v = x.data<float>().ToArray();
        var ldr = new[] { 0.2f, 0.5f, 0.8f };
        int linearAt = order == InputOrder.LinearFirst ? 0 : 3, ldrAt = 3 - linearAt;
        for (int i = 0; i < 3; i++)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(expectedLinear[i], v[i * 6 + linearAt + c], 5);
                Assert.Equal(ldr[i], v[i * 6 + ldrAt + c], 6);
            }
    }

    [Fact]
    public void BuildFollowsTheSpec()
    {
        var spec = new NetworkInputSpec(InputOrder.LdrFirst, new[] { 3 }, 8, ExposureTimeOrigin.ShortestIsOne);
        using var x = NetworkInput.Build(Bracket(), spec);
        Assert.Equal(0.2f, x.data<float>()[0], 6);           // LDR first
        Assert.Equal(0.0289912f, x.data<float>()[3], 5);     // then H with t = 1 for the shortest frame
    }

    [Fact]
    public void OutputsConvertToRadiancePerSecond()
    {
        // H_net is E·t_shortest for both origins, so E = H_net / (1/400 s).
        Assert.Equal(400.0, NetworkInput.AbsoluteRadianceScale(Bracket(), ExposureTimeOrigin.Absolute), 9);
        Assert.Equal(400.0, NetworkInput.AbsoluteRadianceScale(Bracket(), ExposureTimeOrigin.ShortestIsOne), 9);
        var output = new FloatImage(1, 1, 3, new[] { 0.5f, 0.25f, 1f });
        Assert.Equal(new[] { 200f, 100f, 400f }, NetworkInput.ToAbsoluteRadiance(output, Bracket(), ExposureTimeOrigin.Absolute).Data);
    }

    [Fact]
    public void UnknownOriginIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NetworkInput.ExposureTimes(Bracket(), (ExposureTimeOrigin)7));
        Assert.Equal("origin", e.ParamName);
    }
}
