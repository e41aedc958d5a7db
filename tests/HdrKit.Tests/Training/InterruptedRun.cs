using HdrKit.Training;

namespace HdrKit.Tests.Training;

/// <summary>
/// The two runs every exact-resume test starts from: one uninterrupted, and the same config cancelled when it
/// reports <c>cutAtStep</c>, whose checkpoint the test resumes.
/// </summary>
internal static class InterruptedRun
{
    /// <param name="data">Makes a fresh batch source for each run (null: the trainer builds one from the config).</param>
    public static (List<double> Straight, TrainingResult Cut) StraightAndCut(TrainingConfig config, string straightFolder, string cutFolder,
        long cutAtStep, Func<PatchBatchSource>? data = null)
    {
        List<double> straight;
        using (var source = data?.Invoke())
        using (var trainer = new Trainer(config, straightFolder, source))
            straight = trainer.Run(TestContext.Current.CancellationToken).Losses.ToList();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        TrainingResult cut;
        using (var source = data?.Invoke())
        using (var trainer = new Trainer(config, cutFolder, source))
            cut = trainer.Run(cts.Token, new InlineProgress<TrainingProgress>(p => { if (p.Step == cutAtStep) cts.Cancel(); }));
        Assert.True(cut.Interrupted);
        return (straight, cut);
    }
}
