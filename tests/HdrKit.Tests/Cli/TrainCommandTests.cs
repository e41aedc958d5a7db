using HdrKit.Cli;
using HdrKit.Tests.Training;

namespace HdrKit.Tests.Cli;

[Collection(HdrKit.Tests.Training.GlobalGeneratorCollection.Name)]
public sealed class TrainCommandTests
{
    private static int Invoke(params string[] args) => CliRunner.Run(Program.BuildRoot(), args);

    [Fact]
    public void TrainsFromAYamlConfigAndResumesFromTheRunFolder()
    {
        TinyHdrNet.Register();
        using var dir = new TestData.TempDir();
        var config = dir.File("tiny.yaml");
        File.WriteAllText(config, """
            model: { name: test-tiny, width: 4 }
            data: { kind: synthetic, patch_size: 16, batch_size: 1, batches_per_epoch: 2, validation_scenes: 1, validation_size: 16 }
            optimizer: { lr: 1.0e-3 }
            epochs: 1
            device: cpu
            """);
        var run = Path.Combine(dir.Path, "run");

        Assert.Equal(0, Invoke("train", "--config", config, "--out", run));
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "latest.json")));

        File.WriteAllText(config, File.ReadAllText(config).Replace("epochs: 1", "epochs: 2"));
        Assert.Equal(0, Invoke("train", "--config", config, "--resume", Path.Combine(run, "checkpoints")));
        Assert.Equal(4, HdrKit.Training.MetricsLog.Read(Path.Combine(run, "metrics.jsonl")).Count(r => (string?)r["kind"] == "train"));
    }

    [Fact]
    public void ExportWritesACheckpointsWeightsThatLoadByName()
    {
        TinyHdrNet.Register();
        using var dir = new TestData.TempDir();
        var config = dir.File("tiny.yaml");
        File.WriteAllText(config, """
            model: { name: test-tiny, width: 4 }
            data: { kind: synthetic, patch_size: 16, batch_size: 1, batches_per_epoch: 2, validation_scenes: 0 }
            epochs: 1
            device: cpu
            """);
        var run = Path.Combine(dir.Path, "run");
        Assert.Equal(0, Invoke("train", "--config", config, "--out", run));
        var exported = dir.File("export.safetensors");

        Assert.Equal(0, Invoke("train", "--resume", Path.Combine(run, "checkpoints"), "--export", exported));

        // The same weights the finished run wrote itself.
        var a = HdrKit.Weights.SafeTensors.Load(exported);
        var b = HdrKit.Weights.SafeTensors.Load(Path.Combine(run, "model.safetensors"));
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.allclose(b[kv.Key], 0, 0), kv.Key));
        Assert.Equal(1, Invoke("train", "--export", exported));  // needs --resume
    }

    [Fact]
    public void BadConfigsFailWithExitCodeOne()
    {
        using var dir = new TestData.TempDir();
        var config = dir.File("bad.yaml");
        File.WriteAllText(config, "model: { name: test-tiny }\noptimiser: { lr: 1 }\n");
        Assert.Equal(1, Invoke("train", "--config", config));
        Assert.Equal(1, Invoke("train", "--config", dir.File("missing.yaml")));
        Assert.Equal(1, Invoke("train"));
        Assert.Equal(1, Invoke("eval", dir.Path));                      // neither --model nor --classical
        Assert.Equal(1, Invoke("eval", dir.Path, "--model", "no-such-net", "--weights", config));
    }

    [Fact]
    public void EvalScoresTheClassicalMergeOnAKalantariFolder()
    {
        using var dir = new TestData.TempDir();
        var options = new HdrKit.Data.SimulatorOptions { Width = 48, Height = 32, Exposures = 3, Camera = HdrKit.Data.CameraRanges.Kalantari };
        var scene = new HdrKit.Data.BracketSimulator(HdrKit.Tests.Data.SyntheticMaps.Corpus(), options).Simulate(1, 0);
        HdrKit.Data.KalantariScene.Write(Path.Combine(dir.Path, "test", "001"), scene);
        var outFolder = Path.Combine(dir.Path, "out");

        Assert.Equal(0, Invoke("eval", Path.Combine(dir.Path, "test"), "--classical", "--out", outFolder));

        var csv = File.ReadAllLines(Path.Combine(outFolder, "eval.csv"));
        Assert.Equal("method,scene,psnr_mu,psnr_l,ssim_mu,ssim_l", csv[0]);
        Assert.Equal(3, csv.Length);
        var psnrMu = double.Parse(csv[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(psnrMu, 10, 99);
        Assert.True(File.Exists(Path.Combine(outFolder, "eval.md")));
    }

    [Fact]
    public void EvalRunsARegistryNetworkWithItsWeightsAndWritesOutputs()
    {
        using var dir = new TestData.TempDir();
        var options = new HdrKit.Data.SimulatorOptions { Width = 48, Height = 32, Exposures = 3, Camera = HdrKit.Data.CameraRanges.Kalantari };
        var scene = new HdrKit.Data.BracketSimulator(HdrKit.Tests.Data.SyntheticMaps.Corpus(), options).Simulate(2, 0);
        HdrKit.Data.KalantariScene.Write(Path.Combine(dir.Path, "test", "001"), scene);
        var weights = dir.File("tiny.safetensors");
        var net = HdrKit.Models.ModelRegistry.Create("ahdrnet-small");
        HdrKit.Weights.SafeTensors.Save(weights, HdrKit.Weights.StateDictLoader.ToDictionary(net));
        var outFolder = Path.Combine(dir.Path, "out");

        Assert.Equal(0, Invoke("eval", Path.Combine(dir.Path, "test"), "--model", "ahdrnet-small", "--weights", weights, "--out", outFolder, "--outputs", "--previews"));

        var csv = File.ReadAllLines(Path.Combine(outFolder, "eval.csv"));
        Assert.StartsWith("ahdrnet-small,001,", csv[1]);
        Assert.True(double.IsFinite(double.Parse(csv[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)));
        var written = HdrKit.Imaging.HdrImageFile.Read(Path.Combine(outFolder, "001.exr"));
        Assert.Equal((48, 32), (written.Width, written.Height));
        Assert.True(File.Exists(Path.Combine(outFolder, "001.png")));
    }
}
