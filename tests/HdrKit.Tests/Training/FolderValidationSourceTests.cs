using HdrKit.Inference;
using HdrKit.Data;
using HdrKit.Models;
using HdrKit.Tests.Data;
using HdrKit.Training;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class FolderValidationSourceTests
{
    private static string WriteScene(TestData.TempDir dir)
    {
        var options = new SimulatorOptions { Width = 48, Height = 32, Exposures = 3, Camera = CameraRanges.Kalantari };
        var scene = new BracketSimulator(SyntheticMaps.Corpus(), options).Simulate(1, 0);
        var folder = Path.Combine(dir.Path, "val", "s000");
        KalantariScene.Write(folder, scene);
        return Path.Combine(dir.Path, "val");
    }

    [Fact]
    public void TrainingValidationScoresAsHdrkitEvalDoes()
    {
        using var dir = new TestData.TempDir();
        var folder = WriteScene(dir);
        using var model = ModelRegistry.Create("safnet-s-tiny");
        var source = new FolderValidationSource(folder, model.InputSpec);
        var config = TrainingTestConfigs.Tiny();
        config.Model = new ModelConfig { Name = "safnet-s-tiny" };
        using var trainer = new Trainer(config, Path.Combine(dir.Path, "run"), validation: source);
        using (no_grad()) model.load_state_dict(trainer.Recipe.InferenceNetwork.state_dict());

        var during = trainer.Validate()["psnr_mu"];

        var scene = KalantariScene.Read(Path.Combine(folder, "s000"), readExtras: false);
        var merged = scene.FromReferenceScale(new NetworkMerger(model).Merge(scene.ToBracket()));
        var asEval = HdrKit.Metrics.HdrEvaluation.Evaluate(merged, scene.GroundTruth).PsnrMu;
        Assert.Equal(asEval, during, 3);
    }

    [Fact]
    public void TrainingWithAValidationFolderLogsItsScenes()
    {
        using var dir = new TestData.TempDir();
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 1);
        config.Data.ValidationPath = WriteScene(dir);
        using var trainer = new Trainer(config, Path.Combine(dir.Path, "run"));

        trainer.Run(TestContext.Current.CancellationToken);

        var log = File.ReadAllLines(Path.Combine(dir.Path, "run", "metrics.jsonl"));
        var val = Assert.Single(log, l => l.Contains("\"kind\":\"val\""));
        Assert.Contains("\"s000\"", val);
    }

    [Fact]
    public void AFolderWithoutScenesIsRejected()
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => new FolderValidationSource(dir.Path, new NetworkInputSpec(InputOrder.LinearFirst, [3], 4)));
        Assert.Contains("no scene folders", e.Message);
    }
}
