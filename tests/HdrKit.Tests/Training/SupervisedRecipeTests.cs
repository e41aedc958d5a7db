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

    [Fact]
    public void An_aligned_exposure_term_counts_only_the_pixels_whose_target_lies_in_its_range()
    {
        // The shortest exposure warped onto the reference, against the target: over all pixels, and over the
        // pixels whose target the shortest exposure could hold. The two differ, and the ranged one must equal the
        // weighted mean computed here from the feature itself.
        var whole = SafNetTiny(new() { ["aligned0"] = 1.0 });
        var ranged = SafNetTiny(new() { ["aligned0"] = 1.0 });
        ranged.Loss.AuxiliaryTargetRange = new() { ["aligned0"] = [0.02, 0.5] };
        using var wholeRecipe = new SupervisedRecipe(whole, CPU);
        using var rangedRecipe = new SupervisedRecipe(ranged, CPU);
        using var scope = NewDisposeScope();
        var batch = Batch(whole, wholeRecipe.InferenceNetwork.InputSpec);
        rangedRecipe.InferenceNetwork.load_state_dict(wholeRecipe.InferenceNetwork.state_dict());

        double expected;
        using (no_grad())
        {
            var aligned = rangedRecipe.InferenceNetwork.ForwardWithFeatures(batch.Inputs).Features["aligned0"];
            var target = batch.Target!;
            var inRange = ((target >= HdrKit.Util.Scalars.Of(0.02)) & (target <= HdrKit.Util.Scalars.Of(0.5))).all(1, keepdim: true).to(float32).expand_as(aligned);
            Assert.InRange(inRange.mean().item<float>(), 0.05, 0.95); // the range excludes some pixels and keeps some
            var mu = HdrKit.Exposure.MuLaw.Apply(aligned, 5000f) - HdrKit.Exposure.MuLaw.Apply(target, 5000f);
            expected = (mu.abs() * inRange).sum().item<float>() / inRange.sum().item<float>();
        }
        var a = wholeRecipe.TrainStep(batch, new StepContext(0, 0, 0)).Terms["aux_aligned0"];
        var b = rangedRecipe.TrainStep(batch, new StepContext(0, 0, 0)).Terms["aux_aligned0"];
        Assert.Equal(expected, b, 4);
        Assert.NotEqual(a, b, 3);
    }

    [Theory]
    [InlineData("merged", new[] { 0.0, 1.0 }, "auxiliary does not list")]
    [InlineData("aligned0", new[] { 0.5, 0.1 }, "low ≤ high")]
    [InlineData("aligned0", new[] { 0.5 }, "[low, high]")]
    public void A_target_range_must_name_an_auxiliary_term_and_be_ordered(string name, double[] range, string message)
    {
        var config = SafNetTiny(new() { ["aligned0"] = 1.0 });
        config.Loss.AuxiliaryTargetRange = new() { [name] = range };
        var e = Assert.Throws<ArgumentException>(() => new SupervisedRecipe(config, CPU));
        Assert.Contains(message, e.Message);
    }
}
