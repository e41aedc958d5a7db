using HdrKit.Data;
using HdrKit.Training.Components;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Components;

public sealed class SceneSegmentStatisticsTests
{
    /// <summary>One 4×4 patch of scene "a" (or <paramref name="scene"/>) whose left half is segment 0 and right half segment 2.</summary>
    private static TrainingBatch Batch(string scene = "a")
    {
        var segments = tensor(new long[] { 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2 }, new long[] { 1, 1, 4, 4 });
        return new TrainingBatch
        {
            Inputs = zeros(new long[] { 1, 3, 6, 4, 4 }), Labelled = [true], Segments = segments,
            Samples = [new PatchPlacement(scene, 0, 0, 4, PatchTransform.Identity, [0, 2, 4], true)],
        };
    }

    [Fact]
    public void WeightsHaveMeanOneOverTheScenesSegmentsAndFavourTheWorstOnes()
    {
        using var stats = new SceneSegmentStatistics();
        // Segment 1 exists in the scene but not in this patch; segment 0 is reconstructed worst.
        stats.Store("a", tensor(new double[] { 20, 30, 40 }), tensor(new long[] { 10, 5, 10 }));
        using var scope = NewDisposeScope();
        var batch = Batch();

        var w = stats.LossWeights(batch);
        var e = new[] { Math.Exp(-2.0), Math.Exp(-3.0), Math.Exp(-4.0) };
        var expected = e.Select(v => (float)(3 * v / e.Sum())).ToArray();
        Assert.Equal(expected, w[0].data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.True(w[0, 0].item<float>() > w[0, 1].item<float>() && w[0, 1].item<float>() > w[0, 2].item<float>());

        var ratios = stats.MaskRatios(batch, 0.5)[0].data<float>().ToArray();
        Assert.True(ratios[2] > ratios[1] && ratios[1] > ratios[0], "well-reconstructed segments must be masked more");
        Assert.Equal(0.5, ratios.Average(), 5);

        var pixels = stats.PatchWeights(batch);
        Assert.Equal(expected[0], pixels[0, 0, 1, 1].item<float>(), 5);
        Assert.Equal(expected[2], pixels[0, 0, 3, 3].item<float>(), 5);
    }

    [Fact]
    public void ScenesWithoutStatisticsAreUniformAndStateRoundTrips()
    {
        using var stats = new SceneSegmentStatistics();
        using var scope = NewDisposeScope();
        Assert.True(stats.LossWeights(Batch("b")).eq(Scalars.Of(1)).all().item<bool>());
        Assert.True(stats.MaskRatios(Batch("b"), 0.3).allclose(full(1, 3, Scalars.Of(0.3f))));

        stats.Store("a", tensor(new double[] { 20, 30, 40 }), tensor(new long[] { 10, 5, 10 }));
        stats.Refresh(new EmptyScenes(), new HdrKit.Models.NetworkInputSpec(HdrKit.Models.InputOrder.LinearFirst, null, 1), CPU, x => x, epoch: 7);
        using var copy = new SceneSegmentStatistics();
        copy.LoadState(stats.SaveState("s."), "s.");
        Assert.Equal(7, copy.Epoch);
        Assert.Equal(["a"], copy.SceneIds);
        Assert.True(copy.LossWeights(Batch()).allclose(stats.LossWeights(Batch()), 0, 0));
    }

    private sealed class EmptyScenes : ITrainingScenes
    {
        public int Count => 0;
        public TrainingScene Scene(int index) => throw new ArgumentOutOfRangeException(nameof(index));
    }
}
