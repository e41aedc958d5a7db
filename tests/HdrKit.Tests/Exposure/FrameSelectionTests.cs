using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Exposure;

public sealed class FrameSelectionTests
{
    private static Bracket WithStops(params double[] stops) =>
        new(stops.Select(_ => new FloatImage(4, 4, 3)).ToArray(), stops.Select(s => Math.Pow(2, s) / 60).ToArray());

    [Fact]
    public void FiveFramesOneStopApartGiveTheOuterAndMiddleOnes() =>
        Assert.Equal([0, 2, 4], FrameSelection.Choose(WithStops(-2, -1, 0, 1, 2), 3)!);

    [Fact]
    public void FramesGivenLongestFirstAreReturnedShortToLong() =>
        Assert.Equal([4, 2, 0], FrameSelection.Choose(WithStops(2, 1, 0, -1, -2), 3)!);

    [Fact]
    public void UnevenBracketsTakeTheFrameNearestTheMiddleStop() =>
        Assert.Equal([0, 3, 4], FrameSelection.Choose(WithStops(0, 0.5, 1, 2.5, 5), 3)!);

    [Fact]
    public void GapsWiderThanTheTrainingDataAreRefused()
    {
        Assert.Null(FrameSelection.Choose(WithStops(Enumerable.Range(0, 16).Select(i => (double)i).ToArray()), 3)); // memorial: 15 stops
        Assert.NotNull(FrameSelection.Choose(WithStops(-3, -2, -1, 0, 1, 2, 3), 3));                                 // gaps of exactly 3
    }

    [Fact]
    public void TooFewFramesGiveNoChoice() => Assert.Null(FrameSelection.Choose(WithStops(0, 2), 3));

    [Fact]
    public void TheSubsetsReferenceIsItsMiddleFrame()
    {
        var bracket = WithStops(-2, -1, 0, 1, 2);
        var subset = FrameSelection.Subset(bracket, [0, 2, 4]);
        Assert.Equal(3, subset.Count);
        Assert.Equal(1, subset.ReferenceIndex);
        Assert.Same(bracket.Frames[4], subset.Frames[2]);
        Assert.Equal(bracket.ExposureSeconds[2], subset.ExposureSeconds[1]);
    }
}
