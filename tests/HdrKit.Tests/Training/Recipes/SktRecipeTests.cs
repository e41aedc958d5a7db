using HdrKit.Data;
using HdrKit.Models;
using HdrKit.Semantic;
using HdrKit.Training;
using HdrKit.Training.Recipes;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Recipes;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SktRecipeTests
{
    private const int Patch = 32;

    /// <summary>A CPU-sized skt config: the random-conv stand-in bank, pixel-only L_content (no VGG weights needed).</summary>
    private static TrainingConfig Config(string model, string priors = "reference", Action<OptionSection>? edit = null)
    {
        var config = TrainingTestConfigs.Tiny(epochs: 2, batchesPerEpoch: 3);
        config.Recipe = "skt";
        config.Model = new ModelConfig { Name = model };
        config.Data.PatchSize = Patch;
        var options = new OptionSection("recipe_options")
            .Set("priors", priors)
            .Set("content_perceptual", 0)
            .Set("histogram", new Dictionary<string, object> { ["bins"] = 16 })
            .Set("spgrm", new Dictionary<string, object> { ["width"] = 8, ["heads"] = 2 })
            .Set("bank", new Dictionary<string, object> { ["type"] = "random", ["seed"] = 3 });
        edit?.Invoke(options);
        config.RecipeOptions = options;
        return config;
    }

    /// <summary>A small finite scene set (so reference priors are cached per scene) behind the patch loader.</summary>
    private static PatchBatchSource Data(TrainingConfig config, NetworkInputSpec spec, int batches = 3)
    {
        var simulator = DataSourceRegistry.SyntheticSimulator(config.Data.Stops, 48);
        var scenes = new SimulatedSceneSource(simulator, seed: 11, count: 3);
        return new PatchBatchSource(scenes, PatchBatchSource.OptionsFor(config.Data, spec, config.Seed), batches);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module m) =>
        m.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static bool Changed(nn.Module m, Dictionary<string, Tensor> before) =>
        m.named_parameters().Any(p => !p.parameter.detach().SameAs(before[p.name]));

    [Theory]
    [InlineData("ahdrnet-small", "reference")]
    [InlineData("hdr-transformer-small", "reference")]
    [InlineData("ahdrnet-small", "output")]
    public void AStepTrainsTheOrmSpgrmAndSkamsButNeverTheBank(string model, string priors)
    {
        var config = Config(model, priors);
        torch.manual_seed(5);
        using var recipe = new SktRecipe(config, CPU);
        using var data = Data(config, recipe.InferenceNetwork.InputSpec);
        recipe.AttachData(data);
        var backend = (RandomConvBackend)recipe.Bank.Backend;
        var orm = Snapshot(recipe.InferenceNetwork);
        var spgrm = Snapshot(recipe.Refiner);
        var skams = recipe.Skams.Select(Snapshot).ToArray();
        var bank = backend.Parameters().Select(p => p.detach().clone()).ToArray();
        using var scope = NewDisposeScope();

        var outcome = recipe.TrainStep(data.GetBatch(0, 0, CPU), new StepContext(0, 0, 0));

        Assert.True(Changed(recipe.InferenceNetwork, orm), "the ORM did not change");
        Assert.True(Changed(recipe.Refiner, spgrm), "SPGRM did not change");
        Assert.Equal(recipe.InferenceNetwork.FeatureInfo.Count, recipe.Skams.Count);
        for (int k = 0; k < skams.Length; k++) Assert.True(Changed(recipe.Skams[k], skams[k]), $"SKAM {k} did not change");
        var now = backend.Parameters().ToArray();
        for (int i = 0; i < bank.Length; i++)
        {
            Assert.False(now[i].requires_grad);
            Assert.Null(now[i].grad);
            Assert.True(now[i].SameAs(bank[i]), "the bank's weights changed");
        }
        foreach (var term in new[] { "mu_l1", "content", "color", "feat", "spg" })
            Assert.True(outcome.Terms[term] > 0 && double.IsFinite(outcome.Terms[term]), $"{term} = {outcome.Terms.GetValueOrDefault(term)}");
        Assert.Equal(outcome.Terms["orm"] + outcome.Terms["spg"], outcome.Loss, 5);
        if (priors == "reference") Assert.InRange(recipe.Priors.CachedScenes, 1, 3);
        else Assert.Equal(0, recipe.Priors.CachedScenes);
    }

    [Fact]
    public void TapsPairWithSpgrmStagesFromTheModelsFeatureInfoAlone()
    {
        var config = Config("ahdrnet-small");
        using var recipe = new SktRecipe(config, CPU);
        var taps = recipe.InferenceNetwork.FeatureInfo;
        Assert.Equal(taps.Select(t => t.Name), recipe.Pairs.Select(p => p.Tap));
        Assert.Equal(0, recipe.Pairs[0].Stage);
        Assert.Equal(recipe.Refiner.Config.Modules - 1, recipe.Pairs[^1].Stage);
        for (int k = 0; k < taps.Count; k++) Assert.Equal(taps[k].Channels, recipe.Skams[k].StudentChannels);
    }

    [Fact]
    public void ChosenTapsKeepTheirDeclaredOrderAndSpreadOverTheStages()
    {
        using var plain = ModelRegistry.Create("ahdrnet-small");
        var all = plain.FeatureInfo.Select(t => t.Name).ToArray();
        var chosen = new[] { all[^1], all[0] };
        using var recipe = new SktRecipe(Config("ahdrnet-small", edit: o => o.Set("taps", chosen)), CPU);
        Assert.Equal([(all[0], 0), (all[^1], recipe.Refiner.Config.Modules - 1)], recipe.Pairs);
        Assert.Equal(2, recipe.Skams.Count);
        var e = Assert.Throws<ArgumentException>(() => new SktRecipe(Config("ahdrnet-small", edit: o => o.Set("taps", new[] { "nope" })), CPU));
        Assert.Contains(all[0], e.Message);
    }

    [Fact]
    public void OnlyTheOrmTrainsThroughTheDistillationTerms()
    {
        // With only L_spg left, the ORM gets no gradient (SPGRM's input is detached); SPGRM does.
        var config = Config("ahdrnet-small", edit: o => o.Set("content_weight", 0).Set("color_weight", 0).Set("feat_weight", 0));
        config.Losses = new() { ["orm"] = [new OptionSection().Set("type", "mu_l1").Set("weight", 0)] };
        using var recipe = new SktRecipe(config, CPU);
        using var data = Data(config, recipe.InferenceNetwork.InputSpec);
        recipe.AttachData(data);
        Assert.Empty(recipe.Skams);
        Assert.DoesNotContain(recipe.Modules.Keys, k => k.StartsWith("skam"));
        using var scope = NewDisposeScope();
        var outcome = recipe.TrainStep(data.GetBatch(0, 0, CPU), new StepContext(0, 0, 0));
        Assert.DoesNotContain("feat", outcome.Terms.Keys);
        Assert.DoesNotContain("color", outcome.Terms.Keys);
        Assert.All(recipe.InferenceNetwork.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.Contains(recipe.Refiner.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void TheExportHoldsTheOrmAloneWithThePlainModelsNamesAndParameterCount()
    {
        var config = Config("ahdrnet-small");
        using var dir = new TestData.TempDir();
        using var recipe = new SktRecipe(config, CPU);
        var path = dir.File("boosted.safetensors");
        InferenceExport.Write(path, recipe, config, step: 1);

        var exported = SafeTensors.Load(path);
        using var plain = ModelRegistry.Create("ahdrnet-small");
        try
        {
            var expected = plain.state_dict();
            Assert.Equal(expected.Keys.Order(), exported.Keys.Order());
            Assert.Equal(recipe.InferenceNetwork.state_dict().Keys.Order(), exported.Keys.Order());
            foreach (var (name, t) in expected) Assert.Equal(t.shape, exported[name].shape);
            var parameterNames = plain.named_parameters().Select(p => p.name).ToHashSet();
            Assert.Equal(plain.parameters().Sum(p => p.numel()), exported.Where(kv => parameterNames.Contains(kv.Key)).Sum(kv => kv.Value.numel()));
            Assert.True(recipe.ParameterCounts().Total > plain.parameters().Sum(p => p.numel()), "SPGRM and SKAM should exist during training");
            // The export loads into the plain model unchanged (what `merge --model ahdrnet-small --weights` does).
            StateDictLoader.Load(plain, exported, new StateDictOptions(), "boosted.safetensors");
        }
        finally { foreach (var t in exported.Values) t.Dispose(); }
    }

    [Fact]
    public void ResumeGivesTheLossesOfTheUninterruptedRun()
    {
        var config = Config("ahdrnet-small");
        config.Epochs = 2;
        var spec = ModelRegistry.Create(config.Model.Name).InputSpec;
        using var straightDir = new TestData.TempDir();
        using var cutDir = new TestData.TempDir();

        var (straight, cut) = InterruptedRun.StraightAndCut(config, straightDir.Path, cutDir.Path, cutAtStep: 2, () => Data(config, spec));
        torch.manual_seed(999);
        List<double> rest;
        using (var data = Data(config, spec))
        using (var resumed = Trainer.Resume(cut.CheckpointPath, data: data)) rest = resumed.Run(TestContext.Current.CancellationToken).Losses.ToList();

        Assert.Equal(6, straight.Count);
        Assert.Equal(straight.Take(2), cut.Losses);
        Assert.Equal(4, rest.Count);
        for (int i = 0; i < rest.Count; i++)
            Assert.True(Math.Abs(rest[i] - straight[2 + i]) <= 1e-6 * Math.Abs(straight[2 + i]), $"step {3 + i}: resumed {rest[i]:R}, uninterrupted {straight[2 + i]:R}");
        Assert.Equal(rest.Count, rest.Distinct().Count());
    }

    [Fact]
    public void TheRecipeNamesNoZooModel()
    {
        if (RepoPaths.Root is not { } root) { Assert.Skip("source checkout not found (HdrKit.slnx)"); return; }
        var folder = Path.Combine(root, "src", "HdrKit", "Training", "Recipes");
        var code = string.Join("\n", new[] { "SktRecipe.cs", "SktPriors.cs", "SktOptions.cs" }.Select(f => File.ReadAllText(Path.Combine(folder, f)))).ToLowerInvariant();
        foreach (var name in ModelRegistry.All.Select(e => e.Name.ToLowerInvariant()))
            Assert.False(code.Contains($"\"{name}\"") || code.Contains($"{name}."), $"the recipe names {name}");
        foreach (var type in new[] { "ahdrnet", "hdrtransformer", "safnet", "smnet" })
            Assert.DoesNotContain(type, code);
    }

    [Fact]
    public void TheTable3RowConfigsDifferOnlyInWhatTheirRowChanges()
    {
        if (RepoPaths.Root is not { } root) { Assert.Skip("source checkout not found (HdrKit.slnx)"); return; }
        var rows = Directory.GetFiles(Path.Combine(root, "configs"), "skt-table-*.yaml")
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p)["skt-table-".Length..], TrainingConfig.Load);
        Assert.Equal(["ahdrnet-full", "ahdrnet-full-w100", "ahdrnet-no-color", "ahdrnet-no-content", "ahdrnet-no-prior", "ahdrnet-no-skam", "ahdrnet-plain",
            "smnet-full", "smnet-full-w100", "smnet-plain"], rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (row, config) in rows)
            Assert.Equal((row.EndsWith("-plain", StringComparison.Ordinal) ? "supervised" : "skt", row.StartsWith("smnet-", StringComparison.Ordinal) ? "smnet-small" : "ahdrnet-small"),
                (config.Recipe, config.Model.Name));

        // The boosted rows' options: the full row's with exactly the one switch the row names.
        var full = SktOptions.From(rows["ahdrnet-full"].RecipeOptions);
        var paperWeight = full with { ColorWeight = 100 };
        var expected = new Dictionary<string, SktOptions>
        {
            ["ahdrnet-full"] = full, ["smnet-full"] = full,
            ["ahdrnet-full-w100"] = paperWeight, ["smnet-full-w100"] = paperWeight,
            // The plain rows carry the options of the runs they were trained beside; `supervised` ignores them.
            ["ahdrnet-plain"] = paperWeight, ["smnet-plain"] = paperWeight,
            ["ahdrnet-no-content"] = full with { ContentWeight = 0 },
            ["ahdrnet-no-color"] = full with { ColorWeight = 0 },
            ["ahdrnet-no-skam"] = full with { FeatWeight = 0 },
            ["ahdrnet-no-prior"] = full with { Spgrm = full.Spgrm with { UsePriors = false } },
        };
        Assert.True(full is { ContentWeight: > 0, ColorWeight: 1, FeatWeight: > 0, Spgrm.UsePriors: true });
        foreach (var (row, options) in expected)
        {
            var actual = SktOptions.From(rows[row].RecipeOptions);
            Assert.Equal(full.Taps, actual.Taps);
            Assert.Equal(options, actual with { Taps = full.Taps });
        }
        // `supervised` reads `loss:`, whose default is μ-law L1 alone: the boosted rows' L_org.
        Assert.Equal([("mu_l1", 1.0)], rows["ahdrnet-plain"].Loss.ToTerms().Select(t => (t.GetString("type"), LossRegistry.Weight(t))));
        Assert.Equal([("mu_l1", 1.0)], rows["ahdrnet-full"].Losses!["orm"].Select(t => (t.GetString("type"), LossRegistry.Weight(t))));

        // Everything else (data, steps, schedule, seed, losses) is one and the same.
        foreach (var config in rows.Values)
        {
            config.Recipe = "";
            config.Model.Name = "";
            config.RecipeOptions = new OptionSection("recipe_options");
        }
        Assert.Single(rows.Values.Select(c => c.ToJson()).Distinct());
    }

    [Fact]
    public void AMisspeltOptionIsRejectedByItsFullKey()
    {
        var e = Assert.Throws<ArgumentException>(() => SktOptions.From(new OptionSection("recipe_options").Set("colour_weight", 0)));
        Assert.Contains("recipe_options.colour_weight", e.Message);
        e = Assert.Throws<ArgumentException>(() => SktOptions.From(new OptionSection("recipe_options").Set("spgrm", new Dictionary<string, object> { ["usepriors"] = false })));
        Assert.Contains("recipe_options.spgrm.usepriors", e.Message);
        Assert.Equal(0, SktOptions.From(new OptionSection("recipe_options").Set("color_weight", 0)).ColorWeight);
    }

    [Fact]
    public void TheDeepLabBankIsTheDefault()
    {
        TestData.SharedOrSkip(DeepLabV3Backend.SharedModelPath);
        var config = Config("ahdrnet-small", edit: o => o.Set("bank", new Dictionary<string, object> { ["type"] = "deeplab" }));
        using var recipe = new SktRecipe(config, CPU);
        Assert.IsType<DeepLabV3Backend>(recipe.Bank.Backend);
        Assert.Equal("deeplab", SktOptions.From(new OptionSection()).Bank);
    }
}
