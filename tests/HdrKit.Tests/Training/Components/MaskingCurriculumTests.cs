using HdrKit.Training.Components;

namespace HdrKit.Tests.Training.Components;

public class MaskingCurriculumTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(300, 0.0)]
    [InlineData(301, 0.018)]
    [InlineData(325, 0.45)]
    [InlineData(350, 0.9)]
    [InlineData(351, 0.882)]
    [InlineData(375, 0.45)]
    [InlineData(400, 0.0)]
    [InlineData(450, 0.0)]
    public void Paper_schedule_is_flat_then_rises_then_falls(int epoch, double ratio)
    {
        Assert.Equal(ratio, MaskingCurriculum.Paper.Ratio(epoch), 12);
    }

    [Fact]
    public void Phases_and_restart_follow_the_paper_epochs()
    {
        var c = MaskingCurriculum.Paper;
        Assert.Equal(CurriculumPhase.Unmasked, c.Phase(300));
        Assert.Equal(CurriculumPhase.Rising, c.Phase(301));
        Assert.Equal(CurriculumPhase.Rising, c.Phase(350));
        Assert.Equal(CurriculumPhase.Falling, c.Phase(351));
        Assert.Equal(CurriculumPhase.Done, c.Phase(401));
        Assert.Equal(301, c.LearningRateRestartEpoch);
    }

    [Fact]
    public void Statistics_refresh_every_five_epochs_unmasked_and_every_epoch_while_masking()
    {
        var c = MaskingCurriculum.Paper;
        var refreshed = Enumerable.Range(1, 400).Where(c.RefreshesStatistics).ToList();
        Assert.Equal([6, 11, 16], refreshed.Take(3));
        Assert.Contains(296, refreshed);
        Assert.DoesNotContain(300, refreshed);
        Assert.Equal(Enumerable.Range(301, 100), refreshed.Where(e => e > 300));
        Assert.Equal(59 + 100, refreshed.Count);
    }

    [Fact]
    public void Scaled_schedule_keeps_the_proportions()
    {
        var c = MaskingCurriculum.Scaled(40);
        Assert.Equal((30, 35, 40), (c.UnmaskedEnd, c.PeakEpoch, c.End));
        Assert.Equal(1, c.StatisticsInterval);
        Assert.Equal(0.9, c.Ratio(35), 12);
        Assert.Equal(0.54, c.Ratio(37), 12); // 0.9·(40−37)/5
        Assert.Equal(0.36, c.Ratio(32), 12); // 0.9·(32−30)/5
        var long800 = MaskingCurriculum.Scaled(800);
        Assert.Equal((600, 700, 800, 10), (long800.UnmaskedEnd, long800.PeakEpoch, long800.End, long800.StatisticsInterval));
        Assert.Throws<ArgumentException>(() => new MaskingCurriculum(10, 10, 20));
    }
}
