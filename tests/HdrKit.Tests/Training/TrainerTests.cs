using HdrKit.Data;
using System.Text.Json.Nodes;
using HdrKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class TrainerTests
{
    /// <summary>The same few batches every epoch: a tiny set the network can fit.</summary>
    private sealed class FixedSet(ITrainingBatchSource source, int size) : ITrainingBatchSource
    {
        public int BatchesPerEpoch => size;
        public TrainingBatch GetBatch(int epoch, int index, Device device) => source.GetBatch(0, index, device);
    }

    [Fact]
    public void LossFallsOnATinySetWithinAFewDozenSteps()
    {
        var config = TrainingTestConfigs.Tiny(epochs: 25, batchesPerEpoch: 2);
        config.Schedule = new ScheduleConfig { Kind = "constant" };
        config.Optimizer.Lr = 3e-3;
        using var dir = new TestData.TempDir();
        var spec = new HdrKit.Models.NetworkInputSpec(HdrKit.Models.InputOrder.LinearFirst, [3], 4);
        var data = new FixedSet(TrainingData.Create(config, spec).Train, 2);
        using var trainer = new Trainer(config, dir.Path, data);

        var result = trainer.Run(TestContext.Current.CancellationToken);

        Assert.Equal(50, result.Losses.Count);
        double first = result.Losses.Take(4).Average(), last = result.Losses.TakeLast(4).Average();
        Assert.True(last < 0.6 * first, $"loss went from {first:F4} to {last:F4}");
        Assert.False(result.Interrupted);
        Assert.True(File.Exists(result.WeightsPath));
    }

    [Fact]
    public void ResumeAfterInterruptionReproducesTheUninterruptedLosses()
    {
        // Dropout draws from the torch generator, and the cut falls inside an epoch, so this fails unless
        // weights, Adam moments and step counts, the generator state and the data position all come back.
        var config = TrainingTestConfigs.Tiny(epochs: 3, batchesPerEpoch: 3, dropout: 0.3);
        using var straightDir = new TestData.TempDir();
        using var cutDir = new TestData.TempDir();

        var (straight, cut) = InterruptedRun.StraightAndCut(config, straightDir.Path, cutDir.Path, cutAtStep: 4);
        Assert.Equal(new TrainingState(4, 1, 1, cut.State.ElapsedSeconds), cut.State);
        Assert.Null(cut.WeightsPath);

        // Disturb the global generator: a correct resume restores it from the checkpoint.
        torch.manual_seed(12345);
        using var resumed = Trainer.Resume(cut.CheckpointPath);
        var rest = resumed.Run(TestContext.Current.CancellationToken).Losses;

        Assert.Equal(9, straight.Count);
        Assert.Equal(straight.Take(4).ToArray(), cut.Losses.ToArray());
        Assert.Equal(5, rest.Count);
        for (int i = 0; i < rest.Count; i++)
            Assert.True(Math.Abs(rest[i] - straight[4 + i]) <= 1e-6 * Math.Abs(straight[4 + i]),
                $"step {5 + i}: resumed {rest[i]:R}, uninterrupted {straight[4 + i]:R}");
        Assert.Equal(rest.Count, rest.Distinct().Count()); // dropout and data really vary between steps
    }

    [Fact]
    public void CheckpointRoundTripRestoresWeightsOptimizerStepAndGenerator()
    {
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 3, dropout: 0.3);
        using var dir = new TestData.TempDir();
        using var trainer = new Trainer(config, dir.Path);
        var result = trainer.Run(TestContext.Current.CancellationToken);
        var rngAfterRun = torch.get_rng_state().bytes.ToArray();

        torch.manual_seed(99);
        using var restored = Trainer.Resume(result.CheckpointPath);

        Assert.Equal(result.State with { ElapsedSeconds = 0 }, restored.State with { ElapsedSeconds = 0 });
        Assert.Equal(rngAfterRun, torch.get_rng_state().bytes.ToArray());
        var a = trainer.Recipe.Modules["model"].state_dict();
        var b = restored.Recipe.Modules["model"].state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.True(a[key].SameAs(b[key]), $"parameter {key} differs");

        var sa = ((TorchSharp.Modules.Adam)trainer.Recipe.Optimizers[0].Optimizer).state_dict().State.Cast<TorchSharp.Modules.Adam.State>().ToList();
        var sb = ((TorchSharp.Modules.Adam)restored.Recipe.Optimizers[0].Optimizer).state_dict().State.Cast<TorchSharp.Modules.Adam.State>().ToList();
        Assert.Equal(sa.Count, sb.Count);
        for (int i = 0; i < sa.Count; i++)
        {
            Assert.Equal(3, sb[i].step);
            Assert.True(sa[i].exp_avg.SameAs(sb[i].exp_avg), $"Adam exp_avg of parameter {i} differs");
            Assert.True(sa[i].exp_avg_sq.SameAs(sb[i].exp_avg_sq), $"Adam exp_avg_sq of parameter {i} differs");
            Assert.True(sb[i].exp_avg_sq.abs().sum().item<float>() > 0, "moments were never populated");
        }
    }

    [Fact]
    public void RunWritesMetricsLogCurvesAndPrunedCheckpoints()
    {
        var config = TrainingTestConfigs.Tiny(epochs: 4, batchesPerEpoch: 2);
        config.KeepCheckpoints = 2;
        using var dir = new TestData.TempDir();
        using (var trainer = new Trainer(config, dir.Path)) trainer.Run(TestContext.Current.CancellationToken);

        var records = MetricsLog.Read(Path.Combine(dir.Path, "metrics.jsonl")).ToList();
        var train = records.Where(r => (string?)r["kind"] == "train").ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), train.Select(r => (long)r["step"]!));
        Assert.All(train, r => Assert.True((double)r["loss"]! > 0 && (double)r["mu_l1"]! > 0));
        var val = records.Where(r => (string?)r["kind"] == "val").ToList();
        Assert.Equal(4, val.Count);
        Assert.All(val, r => Assert.InRange((double)r["psnr_mu"]!, 1, 100));
        Assert.All(val, r => Assert.InRange((double)r["ssim_mu"]!, -1, 1));

        foreach (var png in new[] { "loss.png", "validation.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir.Path, png));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4));
        }
        var kept = Directory.GetFiles(Path.Combine(dir.Path, "checkpoints"), "step-*.json").Select(Path.GetFileName).Order();
        Assert.Equal(new[] { "step-00000006.json", "step-00000008.json" }, kept);
    }

    [Fact]
    public void ResumingFromAnOlderCheckpointDropsTheAbandonedLogLines()
    {
        var config = TrainingTestConfigs.Tiny(epochs: 3, batchesPerEpoch: 2);
        config.ValidateEvery = 0;
        using var dir = new TestData.TempDir();
        using (var trainer = new Trainer(config, dir.Path)) trainer.Run(TestContext.Current.CancellationToken);
        var metrics = Path.Combine(dir.Path, "metrics.jsonl");
        Assert.Equal(6, MetricsLog.Read(metrics).Count());

        using (var trainer = Trainer.Resume(Path.Combine(dir.Path, "checkpoints", "step-00000002.json")))
        {
            Assert.Equal(2, MetricsLog.Read(metrics).Count());
            trainer.Run(TestContext.Current.CancellationToken);
        }
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), MetricsLog.Read(metrics).Select(r => (long)r["step"]!));
    }

    [Fact]
    public void ResumeRefusesAConfigThatDescribesADifferentRun()
    {
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 1);
        config.ValidateEvery = 0;
        using var dir = new TestData.TempDir();
        string checkpoint;
        using (var trainer = new Trainer(config, dir.Path)) checkpoint = trainer.Run(TestContext.Current.CancellationToken).CheckpointPath;

        var longer = TrainingTestConfigs.Tiny(epochs: 2, batchesPerEpoch: 1);
        longer.ValidateEvery = 0;
        using (var t = Trainer.Resume(checkpoint, longer)) Assert.Equal(2, t.Run(TestContext.Current.CancellationToken).State.Epoch);

        var other = TrainingTestConfigs.Tiny(epochs: 2, batchesPerEpoch: 1);
        other.Optimizer.Lr = 1e-2;
        var e = Assert.Throws<ArgumentException>(() => Trainer.Resume(checkpoint, other));
        Assert.Contains("optimizer", e.Message);
    }
}
