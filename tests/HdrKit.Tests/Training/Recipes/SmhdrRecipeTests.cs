using HdrKit.Data;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Tests.Data;
using HdrKit.Training;
using HdrKit.Training.Components;
using HdrKit.Training.Recipes;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Recipes;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SmhdrRecipeTests : IDisposable
{
    private readonly TestData.TempDir _dir = new();
    private readonly string _maps;

    public SmhdrRecipeTests()
    {
        // The procedural maps as files: the simulate source needs radiance maps, not the bundled corpus.
        _maps = Path.Combine(_dir.Path, "maps");
        Directory.CreateDirectory(_maps);
        foreach (var m in SyntheticMaps.Corpus().Take(3)) RadianceHdr.Write(Path.Combine(_maps, m.Name + ".hdr"), m.Image);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>smnet-small on two simulated 32×32 scenes with segments, 16² patches.</summary>
    private TrainingConfig Config(int epochs, string options, string model = "smnet-small", int exposures = 3, string augment = "none")
    {
        var config = TrainingConfig.Parse($$"""
            recipe: smhdr
            recipe_options: { {{options}} }
            model: { name: {{model}}, exposures: {{exposures}} }
            data:
              type: simulate
              simulate: { seed: 5, count: 2, size: 32x32, camera: ideal, motion: large, hdri: ["{{_maps}}"], all_maps: true }
              patch_size: 16
              batch_size: 2
              batches_per_epoch: 2
              augment: {{augment}}
            optimizer: { lr: 1.0e-3 }
            epochs: {{epochs}}
            validate_every: 0
            seed: 3
            device: cpu
            """);
        config.Validate();
        return config;
    }

    private static (PatchBatchSource Data, EpochContext Context) Data(TrainingConfig config, TrainingRecipe recipe, int epoch = 0)
    {
        var (train, _) = TrainingData.Create(config, recipe.InferenceNetwork.InputSpec);
        var data = (PatchBatchSource)train;
        return (data, new EpochContext(epoch, config, data, null, CPU));
    }

    [Fact]
    public void TheCurriculumRatioReachesTheMaskerAtEachEpoch()
    {
        // 8 epochs, milestones [0.5, 0.75, 1]: unmasked to epoch 4, peak 0.9 at 6, back to 0 at 8.
        // mask_temperature 0 makes every present segment's ratio the global one, so the expected values are exact.
        var config = Config(8, "curriculum: [0.5, 0.75, 1.0], mask_probability: 1.0, mask_temperature: 0");
        using var recipe = new SmhdrRecipe(config, CPU);
        var (data, _) = Data(config, recipe);
        using var _d = data;
        double[] expected = [0, 0, 0, 0, 0.45, 0.9, 0.45, 0];
        for (int epoch = 0; epoch < expected.Length; epoch++)
        {
            recipe.OnEpochBegin(new EpochContext(epoch, config, data, null, CPU));
            Assert.Equal(expected[epoch], recipe.Ratio, 12);
            using var scope = NewDisposeScope();
            var batch = data.GetBatch(epoch, 0, CPU);
            // What the masker is given for each segment in the patch.
            var ratios = recipe.SegmentMaskRatios(batch).gather(1, batch.Segments!.flatten(1));
            Assert.True(ratios.allclose(full_like(ratios, Scalars.Of(expected[epoch])), 1e-6, 1e-7), $"epoch {epoch + 1}: ratios {ratios.min().item<float>()}..{ratios.max().item<float>()}");
            var outcome = recipe.TrainStep(batch, new StepContext(epoch, 0, epoch));
            Assert.Equal(expected[epoch], outcome.Terms["mask_ratio"], 12);
            Assert.Equal(expected[epoch] > 0 ? MaskBranch.Segment : MaskBranch.None, recipe.Masker!.LastBranch);
        }
        // Refreshed every epoch once masking has started, from the model as it stood.
        Assert.Equal(8, recipe.Statistics.Epoch);
    }

    [Fact]
    public void NothingIsMaskedInEvalModeAndTrainingModeIsMasked()
    {
        var config = Config(4, "mask_probability: 1.0");
        using var recipe = new SmhdrRecipe(config, CPU);
        var net = (SmNet)recipe.InferenceNetwork;
        var (data, _) = Data(config, recipe);
        using var _d = data;
        using var scope = NewDisposeScope();
        var batch = data.GetBatch(0, 0, CPU);
        recipe.Masker!.SetBatch(batch.Segments!, full(new long[] { 2, batch.Segments!.max().item<long>() + 1 }, Scalars.Of(0.9)));

        var masked = recipe.Predict(batch.Inputs);
        Assert.Equal(MaskBranch.None, recipe.Masker.LastBranch);
        net.FeatureMasker = null;
        var plain = recipe.Predict(batch.Inputs);
        Assert.True(masked.allclose(plain, 0, 0), "eval-mode prediction changed with the masker installed");

        // The same masker in training mode does change the output (so the comparison above can fail).
        using (no_grad())
        {
            net.train();
            var trainPlain = net.forward(batch.Inputs);
            net.FeatureMasker = recipe.Masker;
            var trainMasked = net.forward(batch.Inputs);
            Assert.Equal(MaskBranch.Segment, recipe.Masker.LastBranch);
            Assert.False(trainMasked.allclose(trainPlain, 1e-4, 1e-5));
        }
    }

    [Fact]
    public void PatchWeightsAreTheFullSceneWeightsCutByPlacement()
    {
        var config = Config(4, "", augment: "weak");
        using var recipe = new SmhdrRecipe(config, CPU);
        var (data, context) = Data(config, recipe);
        using var _d = data;
        recipe.RefreshStatistics(context, 1);
        Assert.Equal(2, recipe.Statistics.SceneIds.Count);

        // Independently: full-scene prediction → per-segment PSNR-μ → softmax(−0.1·PSNR)·N → pixel map.
        var sceneMaps = new Dictionary<string, Tensor>();
        foreach (var scene in data.Scenes!.All())
        {
            var prediction = recipe.Predict(NetworkInput.Build(scene.ToBracket(), recipe.InferenceNetwork.InputSpec));
            var segments = SceneSegmentStatistics.SegmentTensor(scene.Segments!).unsqueeze(0);
            using var stats = SegmentReconstructionStats.PsnrMu(prediction, scene.GroundTruth!.ToTensor().unsqueeze(0), segments, scene.Segments!.Labels.Max() + 1);
            var weights = SegmentWeights.LossWeights(stats);
            var present = stats.Counts > Scalars.Of(0);
            Assert.Equal(1.0, (weights.to(ScalarType.Float64) * present).sum().item<double>() / present.sum().item<long>(), 5);
            Assert.True(weights.max().item<float>() > weights.masked_fill(present.logical_not(), Scalars.Of(10)).min().item<float>() + 1e-4, "weights are uniform: the test would not see a wrong mapping");
            sceneMaps[scene.Id] = SegmentWeights.ToPixelWeights(segments, weights)[0];
        }

        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            var batch = data.GetBatch(0, i % 2, CPU);
            Assert.Contains(batch.Samples, s => !s.Transform.Equals(batch.Samples[0].Transform) || s.X != batch.Samples[0].X);
            var expected = batch.Gather(id => sceneMaps[id]);
            var actual = recipe.PatchWeights(batch);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(actual.allclose(expected, 1e-6, 1e-7), $"batch {i}: patch weights differ from the cut scene weights");
        }
    }

    [Fact]
    public void ResumingInTheRisingPhaseGivesTheSameLosses()
    {
        // 4 epochs × 2 batches, milestones [0.25, 0.75, 1]: unmasked in epoch 1, rising in 2–3; the cut falls
        // inside epoch 2, after statistics were refreshed and masks drawn, so losses match only if the masker's
        // generator, the statistics and the ratio come back.
        var config = Config(4, "curriculum: [0.25, 0.75, 1.0], statistics_every: 1");
        using var straightDir = new TestData.TempDir();
        using var cutDir = new TestData.TempDir();
        var (straight, cut) = InterruptedRun.StraightAndCut(config, straightDir.Path, cutDir.Path, cutAtStep: 3);
        Assert.Equal((3L, 1, 1), (cut.State.Step, cut.State.Epoch, cut.State.BatchInEpoch));

        torch.manual_seed(12345);
        using var resumed = Trainer.Resume(cut.CheckpointPath);
        var smhdr = (SmhdrRecipe)resumed.Recipe;
        Assert.Equal(2, smhdr.Statistics.Epoch);
        var rest = resumed.Run(TestContext.Current.CancellationToken).Losses;

        Assert.Equal(8, straight.Count);
        Assert.Equal(straight.Take(3).ToArray(), cut.Losses.ToArray());
        Assert.Equal(5, rest.Count);
        for (int i = 0; i < rest.Count; i++)
            Assert.True(Math.Abs(rest[i] - straight[3 + i]) <= 1e-6 * Math.Abs(straight[3 + i]),
                $"step {4 + i}: resumed {rest[i]:R}, uninterrupted {straight[3 + i]:R}");
    }

    [Fact]
    public void AModelWithoutTheMaskingHookIsRejectedNamingTheOption()
    {
        TinyHdrNet.Register();
        var e = Assert.Throws<ArgumentException>(() => new SmhdrRecipe(Config(4, "", model: TinyHdrNet.RegistryName), CPU));
        Assert.Contains(TinyHdrNet.RegistryName, e.Message);
        Assert.Contains("recipe_options.masking: none", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        // Without masking the weighted loss alone trains any network.
        using var weightedOnly = new SmhdrRecipe(Config(4, "masking: none", model: TinyHdrNet.RegistryName), CPU);
        Assert.Null(weightedOnly.Masker);
    }

    [Fact]
    public void UnknownOptionsAndBadMilestonesAreRejected()
    {
        Assert.Contains("mask_prob", Assert.Throws<ArgumentException>(() => SmhdrOptions.From(Config(4, "mask_prob: 0.5"))).Message);
        Assert.Contains("curriculum", Assert.Throws<ArgumentException>(() => SmhdrOptions.From(Config(4, "curriculum: [0.9, 0.5, 1.0]"))).Message);
        var paper = SmhdrOptions.BuildCurriculum([300, 350, 400], 400, 0.9, null);
        Assert.Equal(MaskingCurriculum.Paper, paper);
        Assert.Equal(MaskingCurriculum.Paper, SmhdrOptions.BuildCurriculum([0.75, 0.875, 1.0], 400, 0.9, null));
    }

    [Fact]
    public void ExposureFinetuneTrainsOnlyConvFirstAndCountsItsFraction()
    {
        // A new exposure count (5) on the same architecture: only the exposure-dependent convs train.
        var config = Config(4, "exposure_finetune: true, masking: none", exposures: 5);
        using var recipe = new SmhdrRecipe(config, CPU);
        var net = recipe.InferenceNetwork;
        var before = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var (data, _) = Data(config, recipe);
        using var _d = data;
        using (var scope = NewDisposeScope())
        {
            var batch = data.GetBatch(0, 0, CPU);
            Assert.Equal(5, batch.Inputs.shape[1]);
            recipe.TrainStep(batch, new StepContext(0, 0, 0));
        }

        foreach (var (name, p) in net.named_parameters())
        {
            bool changed = !p.detach().allclose(before[name], 0, 0);
            Assert.True(changed == name.StartsWith("conv_first.", StringComparison.Ordinal), $"{name}: changed = {changed}");
        }
        var (total, trainable) = recipe.ParameterCounts();  // what `hdrkit train` prints
        Assert.Equal(ParameterSubset.Fraction(net, SmNet.ExposureDependentPrefixes), trainable / (double)total, 12);
        Assert.Equal((77_943L, 11_736L), (total, trainable));
    }

    [Fact]
    public void CommittedSmhdrConfigsHaveValidOptionsAndTheAblationRowsDifferOnlyInThem()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "HdrKit.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var paths = Directory.GetFiles(Path.Combine(dir.FullName, "configs"), "smhdr-*.yaml").Order().ToArray();
        Assert.Contains(paths, p => p.EndsWith("smhdr-smnet-small.yaml", StringComparison.Ordinal));
        var rows = new List<(SmhdrOptions Options, string Others)>();
        foreach (var path in paths)
        {
            var config = TrainingConfig.Load(path);
            var options = SmhdrOptions.From(config);
            if (!Path.GetFileName(path).StartsWith("smhdr-ablation-", StringComparison.Ordinal)) continue;
            config.RecipeOptions = new OptionSection("recipe_options");
            rows.Add((options, config.ToJson()));
        }
        Assert.Equal(5, rows.Count);
        Assert.Single(rows.Select(r => r.Others).Distinct());
        Assert.Equal([SmhdrMasking.None, SmhdrMasking.Random, SmhdrMasking.Semantic, SmhdrMasking.Semantic, SmhdrMasking.Semantic], rows.Select(r => r.Options.Masking));
        Assert.Equal([false, false, false, false, true], rows.Select(r => r.Options.WeightedLoss));
        Assert.Equal([null, 0.5, 0.5, null, null], rows.Select(r => r.Options.ConstantRatio));
    }
}
