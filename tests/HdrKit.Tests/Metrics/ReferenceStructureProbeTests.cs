using HdrKit.Imaging;
using HdrKit.Metrics;
using HdrKit.Tests.Classical;

namespace HdrKit.Tests.Metrics;

public class ReferenceStructureProbeTests
{
    private static readonly ProbeBox Box = new(8, 72, 8, 56);

    private static FloatImage Reference() => Scenes.Expose(Scenes.Radiance(80, 64, seed: 4), 0.25);

    private static FloatImage Linear(FloatImage ldr, float scale, float gamma = 2.2f)
    {
        var r = new FloatImage(ldr.Width, ldr.Height, 3);
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] = scale * MathF.Pow(ldr.Data[i], gamma);
        return r;
    }

    [Fact]
    public void AMergeThatFollowsTheReferenceScoresOneAtAnyExposureScale()
    {
        var reference = Reference();
        Assert.Equal(1.0, ReferenceStructureProbe.Score(Linear(reference, 1f), reference, Box), 4);
        Assert.Equal(1.0, ReferenceStructureProbe.Score(Linear(reference, 37f), reference, Box), 4);
        // A different tone curve is a linear map of the log-luminance of one channel: standardising removes it (nearly, for RGB).
        Assert.True(ReferenceStructureProbe.Score(Linear(reference, 1f, 2.6f), reference, Box) > 0.99);
    }

    [Fact]
    public void APastedMisalignedCopyLowersTheScore()
    {
        var reference = Reference();
        var merged = Linear(reference, 1f);
        var ghost = merged.Clone();
        // Half of the box shows the scene shifted by 7 px: a doubled feature.
        for (int c = 0; c < 3; c++)
            for (int y = 8; y < 56; y++)
                for (int x = 8; x < 40; x++) ghost[c, y, x] = merged[c, y, x + 7];
        double clean = ReferenceStructureProbe.Score(merged, reference, Box), ghosted = ReferenceStructureProbe.Score(ghost, reference, Box);
        Assert.True(ghosted < clean - 0.1, $"ghosted {ghosted:F3}, clean {clean:F3}");
        // A larger data range makes flat windows count more, which raises a damaged score.
        Assert.True(ReferenceStructureProbe.Score(ghost, reference, Box, dataRange: 8) > ReferenceStructureProbe.Score(ghost, reference, Box, dataRange: 1));
    }

    [Fact]
    public void BoxesOutsideTheImageAreRefused()
    {
        var reference = Reference();
        var e = Assert.Throws<ArgumentException>(() => ReferenceStructureProbe.Score(Linear(reference, 1f), reference, new ProbeBox(60, 90, 0, 30)));
        Assert.Contains("inside the 80x64 image", e.Message);
        Assert.Equal("pingpong-face", ProbePreset.Find("PINGPONG-face").Name);
        Assert.Throws<ArgumentException>(() => ProbePreset.Find("nope"));
    }
}
