using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Classical;

public class DebevecMergeTests
{
    private static readonly double[] Seconds = { 1 / 64.0, 1 / 8.0, 1.0 };

    [Theory]
    [InlineData(RadianceAveraging.Linear)]
    [InlineData(RadianceAveraging.Logarithmic)]
    public void RecoversRadianceWhereSomeFrameIsWellExposed(RadianceAveraging averaging)
    {
        var truth = Scenes.Radiance(96, 64);
        var bracket = Scenes.Bracket(truth, Seconds, 1);
        var merged = DebevecMerge.Merge(bracket, CameraResponse.FromGamma(), averaging: averaging);
        int checkedPixels = 0, n = truth.PixelCount;
        for (int q = 0; q < truth.Data.Length; q++)
        {
            // Only where some frame has a mid-range code; there 8-bit rounding of a code z ≥ 0.2 costs at most
            // 2.2·(0.5/255)/0.2 ≈ 2.2 % of the radiance, and the weighted mean cannot do worse than its worst input.
            if (bracket.Frames.Max(f => ExposureWeight.Hat(f.Data[q])) < 0.4f) continue;
            checkedPixels++;
            float t = truth.Data[q], m = merged.Data[q];
            Assert.True(Math.Abs(m - t) <= 0.03f * t, $"sample {q}: merged {m}, true {t}");
        }
        Assert.True(checkedPixels > truth.Data.Length / 2, $"only {checkedPixels} pixels were well exposed somewhere");
    }

    [Fact]
    public void PixelsClippedEverywhereFallBackToTheBoundingExposure()
    {
        // Codes 1 in every frame: the shortest frame's f⁻¹(1)/t = 64 is the best lower bound. Codes 0: 0.
        var white = new FloatImage(2, 1, 3, Enumerable.Repeat(1f, 6).ToArray());
        var black = new FloatImage(2, 1, 3);
        var merged = DebevecMerge.Merge(new Bracket(new[] { white, white, white }, Seconds, 1), CameraResponse.FromGamma());
        Assert.All(merged.Data, v => Assert.Equal(64f, v, 3));
        merged = DebevecMerge.Merge(new Bracket(new[] { black, black, black }, Seconds, 1), CameraResponse.FromGamma());
        Assert.All(merged.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void AcceptanceMapsRemoveFrames()
    {
        // One pixel at code 0.5 in the middle frame only counts; the others would say something else.
        float[] Codes(float v) => new[] { v, v, v };
        var frames = new[] { new FloatImage(1, 1, 3, Codes(0.3f)), new FloatImage(1, 1, 3, Codes(0.5f)), new FloatImage(1, 1, 3, Codes(0.6f)) };
        var merged = DebevecMerge.Merge(new Bracket(frames, Seconds, 1), CameraResponse.FromGamma(), new float[]?[] { new[] { 0f }, null, new[] { 0f } });
        Assert.Equal(0.2176376f * 8, merged.Data[0], 3); // 0.5^2.2 / (1/8 s)
    }

    [Fact]
    public void MismatchedAcceptanceIsRejected()
    {
        var bracket = Scenes.Bracket(Scenes.Radiance(8, 8), Seconds, 1);
        var e = Assert.Throws<ArgumentException>(() => DebevecMerge.Merge(bracket, CameraResponse.FromGamma(), new float[]?[] { null, null, new float[10] }));
        Assert.Equal("acceptance", e.ParamName);
    }
}
