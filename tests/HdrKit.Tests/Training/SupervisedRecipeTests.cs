using HdrKit.Data;
using HdrKit.Training;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SupervisedRecipeTests
{
    private static TrainingConfig SafNetTiny(Dictionary<string, double> auxiliary)
    {
        var config = TrainingTestConfigs.Tiny();
        config.Model = new ModelConfig { Name = "safnet-s-tiny" };
        config.Loss.Auxiliary = auxiliary;
        return config;
    }

    private static TrainingBatch Batch(TrainingConfig config, HdrKit.Models.NetworkInputSpec spec)
    {
        var (train, _) = TrainingData.Create(config, spec);
        using var source = (PatchBatchSource)train;
        return source.GetBatch(0, 0, CPU);
    }

    [Fact]
    public void AnAuxiliaryFeatureTermIsLoggedAndAddedToTheTotal()
    {
        var config = SafNetTiny(new() { ["merged"] = 0.5 });
        using var recipe = new SupervisedRecipe(config, CPU);
        using var scope = NewDisposeScope();

        var outcome = recipe.TrainStep(Batch(config, recipe.InferenceNetwork.InputSpec), new StepContext(0, 0, 0));

        Assert.True(outcome.Terms["aux_merged"] > 0);
        Assert.Equal(outcome.Terms["mu_l1"] + 0.5 * outcome.Terms["aux_merged"], outcome.Loss, 5);
        // A fresh SAFNet outputs its merge (zero residual head), so both terms see the same image.
        Assert.Equal(outcome.Terms["mu_l1"], outcome.Terms["aux_merged"], 5);
    }

    [Fact]
    public void WithoutAuxiliaryTermsOnlyTheConfiguredLossIsLogged()
    {
        var config = SafNetTiny(new());
        using var recipe = new SupervisedRecipe(config, CPU);
        using var scope = NewDisposeScope();

        var outcome = recipe.TrainStep(Batch(config, recipe.InferenceNetwork.InputSpec), new StepContext(0, 0, 0));

        Assert.Equal(["mu_l1"], outcome.Terms.Keys);
        Assert.Equal(outcome.Terms["mu_l1"], outcome.Loss, 6);
    }

    [Fact]
    public void AnAuxiliaryTermOnAFeatureTheModelLacksIsRejectedByName()
    {
        var config = SafNetTiny(new() { ["warped"] = 1.0 });
        var e = Assert.Throws<ArgumentException>(() => new SupervisedRecipe(config, CPU));
        Assert.Contains("'warped'", e.Message);
        Assert.Contains("merged", e.Message);
    }
}
