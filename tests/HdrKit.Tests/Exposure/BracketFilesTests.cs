using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Exposure;

public class BracketFilesTests
{
    private static FloatImage Flat(float code) => new(16, 8, 3, Enumerable.Repeat(code, 16 * 8 * 3).ToArray());

    [Fact]
    public void ThreeFrameBracketsKeepTheMiddleExposureAsReference()
    {
        // Given long, short, middle: the middle by time is index 2 even though index 0 is better exposed.
        var frames = new[] { Flat(0.5f), Flat(0.02f), Flat(0.97f) };
        Assert.Equal(2, BracketFiles.DefaultReference(frames, new[] { 1 / 15.0, 1 / 1000.0, 1 / 60.0 }));
    }

    [Fact]
    public void LongBracketsTakeTheBestExposedFrameNotANearlyBlackMiddle()
    {
        // Seven frames, the middle by time (1/60 s) nearly black; only the 1/4 s frame is well exposed.
        var times = new[] { 1 / 4000.0, 1 / 1000.0, 1 / 250.0, 1 / 60.0, 1 / 15.0, 1 / 4.0, 1.0 };
        var codes = new[] { 0.0f, 0.0f, 0.01f, 0.03f, 0.06f, 0.5f, 1.0f };
        Assert.Equal(5, BracketFiles.DefaultReference(codes.Select(Flat).ToArray(), times));
    }
}
