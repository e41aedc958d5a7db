using HdrKit.Training;

namespace HdrKit.Tests.Training;

public sealed class ScheduleTests
{
    [Fact]
    public void StepScheduleHalvesEveryHundredEpochs()
    {
        var s = LearningRateSchedule.Create(new ScheduleConfig { Kind = "step", EveryEpochs = 100, Gamma = 0.5 }, 2e-4, 300);
        Assert.Equal(1.0, s.Factor(0, 0));
        Assert.Equal(1.0, s.Factor(99.99, 0));
        Assert.Equal(0.5, s.Factor(100, 0));
        Assert.Equal(0.25, s.Factor(250.5, 0));
    }

    [Fact]
    public void CosineRunsFromTheRateToMinLr()
    {
        var s = LearningRateSchedule.Create(new ScheduleConfig { Kind = "cosine", MinLr = 5e-5 }, 5e-4, 400);
        Assert.Equal(1.0, s.Factor(0, 0), 12);
        Assert.Equal(0.55, s.Factor(200, 0), 12);   // halfway: (1 + 0.1) / 2
        Assert.Equal(0.1, s.Factor(400, 0), 12);
        Assert.True(s.Factor(100, 0) > s.Factor(101, 0));
    }

    [Fact]
    public void CosineRestartsBeginsANewCurveAtEachRestart()
    {
        // SMHDR: 5e-4 → 5e-5 over 300 epochs, restarted at 300 for the last 100.
        var s = LearningRateSchedule.Create(new ScheduleConfig { Kind = "cosine_restarts", MinLr = 5e-5, Restarts = [300] }, 5e-4, 400);
        Assert.Equal(0.55, s.Factor(150, 0), 12);
        Assert.True(s.Factor(299.99, 0) < 0.1001);
        Assert.Equal(1.0, s.Factor(300, 0), 12);
        Assert.Equal(0.55, s.Factor(350, 0), 12);
    }

    [Fact]
    public void WarmupRampsLinearlyThenFollowsTheSchedule()
    {
        var s = LearningRateSchedule.Create(new ScheduleConfig { Kind = "constant", WarmupSteps = 4 }, 1e-3, 10);
        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0, 1.0 }, Enumerable.Range(0, 5).Select(i => s.Factor(0, i)));
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("cosine_restarts")]
    public void BadSchedulesAreRejectedWithTheKeyNamed(string kind)
    {
        var e = Assert.Throws<ArgumentException>(() => LearningRateSchedule.Create(new ScheduleConfig { Kind = kind }, 1e-3, 10));
        Assert.Contains(kind == "linear" ? "unknown schedule 'linear'" : "restarts", e.Message);
    }
}
