using HdrKit.Semantic;

namespace HdrKit.Tests.Semantic;

public class SegmentationScoresTests
{
    [Fact]
    public void AdjustedRandMatchesHandComputedValues()
    {
        Assert.Equal(1.0, SegmentationScores.AdjustedRand([0, 0, 1, 1], [5, 5, 9, 9]), 12);
        // Pairs: index 1, a 1, b 2 of 6 → (1 − 1/3) / (1.5 − 1/3) = 4/7.
        Assert.Equal(4.0 / 7.0, SegmentationScores.AdjustedRand([0, 0, 1, 2], [0, 0, 1, 1]), 12);
        Assert.Equal(0.0, SegmentationScores.AdjustedRand([0, 0, 0, 0], [0, 1, 2, 3]), 12);
    }

    [Fact]
    public void BoundaryFToleratesSmallShifts()
    {
        // 8×4 maps split at column 4 (truth) and column 5 (prediction): boundary pixels at x = 3 and x = 4.
        var truth = new int[32];
        var shifted = new int[32];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 8; x++) { truth[y * 8 + x] = x < 4 ? 0 : 1; shifted[y * 8 + x] = x < 5 ? 0 : 1; }
        Assert.Equal(1.0, SegmentationScores.BoundaryF(truth, truth, 8, 4, 0), 12);
        Assert.Equal(0.0, SegmentationScores.BoundaryF(shifted, truth, 8, 4, 0), 12);
        Assert.Equal(1.0, SegmentationScores.BoundaryF(shifted, truth, 8, 4, 1), 12);
    }
}
