using HdrKit.Data;
using HdrKit.Models;
using HdrKit.Tests.Data;
using HdrKit.Training;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class PatchBatchSourceTests
{
    private static string WriteScenes(TestData.TempDir dir)
    {
        var options = new SimulatorOptions { Width = 40, Height = 32, Exposures = 3, Camera = CameraRanges.Kalantari };
        var simulator = new BracketSimulator(SyntheticMaps.Corpus(), options);
        for (int i = 0; i < 2; i++)
        {
            var scene = simulator.Simulate(1, i);
            KalantariScene.Write(Path.Combine(dir.Path, "scenes", $"{i:D3}"), scene);
        }
        return Path.Combine(dir.Path, "scenes");
    }

    private static PatchBatchSource Source(DataConfig config, NetworkInputSpec spec, long seed) =>
        (PatchBatchSource)TrainingData.Create(new TrainingConfig { Data = config, Seed = seed }, spec).Train;

    [Fact]
    public void JumpingToABatchGivesWhatTheSequentialStreamGives()
    {
        using var dir = new TestData.TempDir();
        var config = new DataConfig { Kind = "kalantari", Path = WriteScenes(dir), PatchSize = 16, BatchSize = 2, BatchesPerEpoch = 2 };
        var spec = new NetworkInputSpec(InputOrder.LinearFirst, [3], 4);
        using var sequential = Source(config, spec, 3);
        var batches = Enumerable.Range(0, 4).Select(i => sequential.GetBatch(i / 2, i % 2, CPU)).ToList();
        using var jumping = Source(config, spec, 3);
        var third = jumping.GetBatch(1, 0, CPU);

        Assert.Equal(new long[] { 2, 3, 6, 16, 16 }, third.Inputs.shape);
        Assert.True(third.Inputs.SameAs(batches[2].Inputs));
        Assert.True(third.Target!.SameAs(batches[2].Target!));
        Assert.False(batches[2].Target!.SameAs(batches[3].Target!));
    }

    [Fact]
    public void TrainerRunsOnAKalantariFolder()
    {
        using var dir = new TestData.TempDir();
        var config = TrainingTestConfigs.Tiny(epochs: 2, batchesPerEpoch: 2);
        config.Data = new DataConfig { Kind = "kalantari", Path = WriteScenes(dir), PatchSize = 16, BatchSize = 2, BatchesPerEpoch = 2 };
        using var trainer = new Trainer(config, Path.Combine(dir.Path, "run"));
        var result = trainer.Run(TestContext.Current.CancellationToken);
        Assert.Equal(4, result.Losses.Count);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l) && l > 0));
    }
}
