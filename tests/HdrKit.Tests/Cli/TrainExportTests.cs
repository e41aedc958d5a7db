using HdrKit.Cli;
using HdrKit.Tests.Training;
using HdrKit.Training;
using HdrKit.Weights;

namespace HdrKit.Tests.Cli;

/// <summary>`train --export` and `model.init` on a recipe whose inference network is neither its first module nor called "model".</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class TrainExportTests
{
    private static int Invoke(params string[] args) => CliRunner.Run(Program.BuildRoot(), args);

    [Fact]
    public void Export_and_init_from_a_two_network_checkpoint_take_the_inference_network()
    {
        TwoNetworkRecipe.Register();
        using var dir = new TestData.TempDir();
        var config = dir.File("two.yaml");
        File.WriteAllText(config, $"""
            recipe: {TwoNetworkRecipe.RegistryName}
            model: {"{"} name: {TinyHdrNet.RegistryName}, width: 4 {"}"}
            data: {"{"} kind: synthetic, patch_size: 16, batch_size: 1, batches_per_epoch: 2, validation_scenes: 0 {"}"}
            epochs: 1
            device: cpu
            """);
        var run = Path.Combine(dir.Path, "run");
        Assert.Equal(0, Invoke("train", "--config", config, "--out", run));
        var exported = dir.File("export.safetensors");
        Assert.Equal(0, Invoke("train", "--resume", Path.Combine(run, "checkpoints"), "--export", exported));

        var info = Checkpoint.Read(Path.Combine(run, "checkpoints"));
        Assert.Equal("student", info.InferenceModule);
        var checkpoint = SafeTensors.Load(info.TensorsPath);
        var a = SafeTensors.Load(exported);
        var b = SafeTensors.Load(Path.Combine(run, "model.safetensors"));
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.allclose(b[kv.Key], 0, 0), kv.Key));
        Assert.All(a, kv => Assert.True(kv.Value.allclose(checkpoint[$"module.student.{kv.Key}"], 0, 0), kv.Key));
        Assert.Contains(a, kv => !kv.Value.allclose(checkpoint[$"module.judge.{kv.Key}"], 0, 0));

        using var initialised = new ModelConfig { Name = info.Config.Model.Name, Width = 4, Init = info.SidecarPath }.Build();
        Assert.All(initialised.state_dict(), kv => Assert.True(kv.Value.allclose(a[kv.Key], 0, 0), kv.Key));
    }
}
