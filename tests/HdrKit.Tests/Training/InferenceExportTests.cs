using HdrKit.Models;
using HdrKit.Training;
using HdrKit.Weights;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>The end of a run and `train --export` write the recipe's inference network, not its first or "model" module.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class InferenceExportTests
{
    [Fact]
    public void A_two_network_recipe_exports_exactly_its_inference_network()
    {
        TwoNetworkRecipe.Register();
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 2);
        config.Recipe = TwoNetworkRecipe.RegistryName;
        using var dir = new TestData.TempDir();
        using var trainer = new Trainer(config, dir.Path);
        var result = trainer.Run(TestContext.Current.CancellationToken);
        var recipe = (TwoNetworkRecipe)trainer.Recipe;

        var fromCheckpoint = dir.File("export.safetensors");
        InferenceExport.FromCheckpoint(result.CheckpointPath, fromCheckpoint);

        using var scope = NewDisposeScope();
        var expected = recipe.InferenceNetwork.state_dict();
        foreach (var path in new[] { result.WeightsPath!, fromCheckpoint })
        {
            var written = SafeTensors.Load(path, out var metadata);
            Assert.Equal(expected.Keys.Order(), written.Keys.Order());
            Assert.All(expected, kv => TensorAssert.Exact(kv.Value, written[kv.Key], $"{Path.GetFileName(path)}: {kv.Key}"));
            Assert.Contains(recipe.Judge.state_dict(), kv => !kv.Value.allclose(written[kv.Key], 0, 0));
            Assert.Equal(TwoNetworkRecipe.RegistryName, metadata["recipe"]);

            // A fresh network of the registry name loads it and computes what the trained one does.
            using var fresh = ModelRegistry.CreateWithWeights(config.Model.Name, path, config.Model.ToOptions());
            fresh.eval();
            recipe.InferenceNetwork.eval();
            using var noGrad = no_grad();
            var x = rand([1, 3, 6, 16, 16]);
            TensorAssert.Exact(recipe.InferenceNetwork.forward(x), fresh.forward(x), "exported network's output");
        }
    }
}
