using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Exposure;

/// <summary>The tonemapped preview on real radiance maps (../shared/data/hdri, CC0, 7–34 stops).</summary>
public class DisplayTonemapSharedHdriTests
{
    [Theory]
    [InlineData("sky")]
    [InlineData("park")]
    [InlineData("forest")]
    [InlineData("sunset")]
    [InlineData("venice")]
    [InlineData("bridge")]
    [InlineData("night")]
    public void OutdoorScenesGetAComfortableMeanDisplayValue(string scene)
    {
        var hdr = RadianceHdr.Read(TestData.SharedOrSkip("data", "hdri", scene + ".hdr"));
        var display = DisplayTonemap.Default.Apply(hdr);
        double mean = display.Data.Average(v => (double)v);
        Assert.InRange(mean, 0.25, 0.6);
        // Highlights roll off into white rather than the whole image being scaled down to fit the maximum.
        Assert.Equal(1f, display.Data.Max(), 1e-3f);
    }
}
