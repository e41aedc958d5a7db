using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Classical;

public class ClassicalMergerTests
{
    [Fact]
    public void AlignsDeghostsAndReturnsRadianceOnTheReferenceScale()
    {
        var seconds = new[] { 1 / 16.0, 1 / 4.0, 1.0 };
        var canvas = Scenes.Texture(160, 120, seed: 9);
        var truth = MtbAlignmentTests.Crop(canvas, 20, 20, 128, 80);
        var frames = new[]
        {
            Scenes.Expose(MtbAlignmentTests.Crop(canvas, 20 + 5, 20 - 3, 128, 80), seconds[0], 1 / 255.0, 1), // hand-held shake
            Scenes.Expose(truth, seconds[1], 1 / 255.0, 2),
            Scenes.Expose(Scenes.WithSquare(truth, 60, 30, 14, 0.02f), seconds[2], 1 / 255.0, 3),             // moving object
        };
        var reports = new List<double>();
        var result = new ClassicalMerger().Merge(new Bracket(frames, seconds, 1), new SyncProgress(reports.Add));

        Assert.Equal(new[] { (5, -3), (0, 0), (0, 0) }, result.Shifts);
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.OrderBy(v => v), reports);
        Assert.True(result.GhostMask[0, 37, 67] == 1f, "the moving square must be marked");
        // Reference scale: a well-exposed reference pixel reads its linearised code z^2.2 = E·t_ref.
        for (int y = 30; y < 44; y++)
            for (int x = 60; x < 74; x++)
                Assert.InRange(result.Radiance[1, y, x] / (truth[1, y, x] * seconds[1]), 0.9, 1.1);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
