using HdrKit.Models;
using HdrKit.Training;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class ModelConfigTests
{
    private static void Randomize(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (_, p) in module.named_parameters()) p.copy_(randn_like(p));
    }

    [Fact]
    public void InitLoadsAWeightFileAndReinitKeepsTheFreshHead()
    {
        using var dir = new TestData.TempDir();
        using var source = ModelRegistry.Create("safnet-s-tiny");
        Randomize(source);
        var path = dir.File("weights.safetensors");
        SafeTensors.Save(path, StateDictLoader.ToDictionary(source));

        using var model = new ModelConfig { Name = "safnet-s-tiny", Init = path, Reinit = ["refinenet.conv7"] }.Build();

        var expected = source.state_dict();
        foreach (var (name, p) in model.state_dict())
        {
            if (name.StartsWith("refinenet.conv7")) Assert.Equal(0f, p.abs().max().item<float>());
            else Assert.True(p.allclose(expected[name], 0, 0), name);
        }
    }

    [Fact]
    public void InitFromATrainerCheckpointTakesItsModelWeights()
    {
        using var dir = new TestData.TempDir();
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 2);
        using var trainer = new Trainer(config, dir.Path);
        var result = trainer.Run(TestContext.Current.CancellationToken);

        using var model = new ModelConfig { Name = config.Model.Name, Width = config.Model.Width, Extra = config.Model.Extra, Init = result.CheckpointPath }.Build();

        var trained = trainer.Recipe.InferenceNetwork.state_dict();
        Assert.All(model.state_dict(), kv => Assert.True(kv.Value.allclose(trained[kv.Key], 0, 0), kv.Key));
    }

    [Fact]
    public void InitWithAnotherArchitecturesWeightsFailsNamingTheKeys()
    {
        using var dir = new TestData.TempDir();
        using var other = ModelRegistry.Create("safnet-s-tiny");
        var path = dir.File("other.safetensors");
        SafeTensors.Save(path, StateDictLoader.ToDictionary(other));

        var e = Assert.Throws<InvalidDataException>(() => new ModelConfig { Name = "safnet-s", Init = path }.Build());
        Assert.Contains("other.safetensors", e.Message);
    }
}
