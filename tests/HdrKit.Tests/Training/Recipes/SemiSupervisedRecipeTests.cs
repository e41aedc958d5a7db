using HdrKit.Data;
using HdrKit.Models;
using HdrKit.Training;
using HdrKit.Training.Components;
using HdrKit.Training.Recipes;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Recipes;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SemiSupervisedRecipeTests
{
    private const string SourceType = "test-semi-scenes";
    private static readonly Device Cpu = torch.CPU;

    /// <summary>Six 40×40 procedural scenes (finite, so epoch hooks see them whole), cut into 16×16 patches.</summary>
    private static TrainingConfig Config(int labelled = 2, int warmup = 0, int epochs = 2, int batches = 3, double alpha = 0.9)
    {
        lock (SourceType)
            if (!DataSourceRegistry.Contains(SourceType))
                DataSourceRegistry.Register(SourceType, (c, context) =>
                {
                    ITrainingScenes scenes = new SimulatedSceneSource(DataSourceRegistry.SyntheticSimulator(context.Stops, 40), 11, 6);
                    return c.Labelled.IsAll ? scenes : new LabelledScenes(scenes, c.Labelled.ToSubset());
                });
        var config = TrainingTestConfigs.Tiny(epochs, batches);
        config.Recipe = SemiSupervisedRecipe.RegistryName;
        config.Data.PatchSize = 16;
        config.Data.BatchSize = 3;
        config.Data.Sources = [new DataSourceConfig { Type = SourceType, Labelled = new LabelledConfig { Count = labelled, Seed = 3 } }];
        config.RecipeOptions.Set("warmup_epochs", warmup).Set("ema_alpha", alpha).Set("judge_hidden", 4).Set("mask_patch", 8);
        return config;
    }

    private static (SemiSupervisedRecipe Recipe, ITrainingBatchSource Data) Build(TrainingConfig config)
    {
        torch.manual_seed(config.Seed);
        var recipe = new SemiSupervisedRecipe(config, Cpu);
        return (recipe, TrainingData.Create(config, recipe.InferenceNetwork.InputSpec).Train);
    }

    private static EpochContext Epoch(TrainingConfig config, ITrainingBatchSource data, int epoch) => new(epoch, config, data, null, Cpu);

    private static Dictionary<string, Tensor> Snapshot(nn.Module m) =>
        m.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static TrainingBatch FirstBatchWhere(ITrainingBatchSource data, Func<TrainingBatch, bool> wanted)
    {
        for (int i = 0; i < 50; i++)
        {
            var b = data.GetBatch(0, i, Cpu);
            if (wanted(b)) return b;
            b.Dispose();
        }
        throw new InvalidOperationException("no such batch in the first 50");
    }

    [Fact]
    public void The_teacher_follows_the_EMA_formula_after_a_step()
    {
        var config = Config(alpha: 0.9);
        var (recipe, data) = Build(config);
        using var _ = recipe;
        using var scope = NewDisposeScope();
        recipe.OnEpochBegin(Epoch(config, data, 0));
        var teacherBefore = Snapshot(recipe.Teacher);
        using var batch = FirstBatchWhere(data, b => b.AnyLabelled && !b.AllLabelled);

        recipe.TrainStep(batch, new StepContext(0, 0, 0));

        var student = Snapshot(recipe.Student);
        var teacherAfter = Snapshot(recipe.Teacher);
        Assert.Equal(student.Keys.Order(), teacherAfter.Keys.Order());
        Assert.Contains(student, kv => !kv.Value.allclose(teacherBefore[kv.Key], 0, 0)); // the student moved
        foreach (var (name, s) in student)
            TensorAssert.Close(teacherBefore[name] * Scalars.Of(0.9) + s * Scalars.Of(0.1), teacherAfter[name], 1e-6, name);
    }

    [Fact]
    public void A_patch_s_pseudo_label_is_the_cached_scene_label_cut_by_its_placement()
    {
        // Cache each unlabelled scene's own packed input as its "label": the cut must then reproduce the patch the
        // loader made, rotation, flips and the recipe's channel shuffle included.
        var config = Config(labelled: 0);
        config.Data.Augment = "strong";
        var (recipe, data) = Build(config);
        using var _ = recipe;
        using var scope = NewDisposeScope();
        var spec = recipe.InferenceNetwork.InputSpec;
        foreach (var scene in data.Scenes!.All())
        {
            var full = HdrKit.Inference.NetworkInput.Build(scene.ToBracket(), spec)[0]; // [N, 6, H, W]
            recipe.Cache.Store(scene.Id, 0, new Dictionary<string, Tensor> { ["label"] = full.reshape(-1, full.shape[2], full.shape[3]), ["keep"] = ones(1, full.shape[2], full.shape[3]) });
        }
        using var batch = data.GetBatch(0, 1, Cpu);
        Assert.Contains(batch.Samples, s => s.Transform.Rotations != 0 || s.Transform.FlipHorizontal || s.Transform.FlipVertical);

        var (inputs, pseudo, keep) = recipe.UnlabelledView(batch, [0, 1, 2], step: 5);

        Assert.Equal(new long[] { 3, 18, 16, 16 }, pseudo!.shape);
        var asInputs = pseudo.reshape(inputs!.shape);
        // LDR channels are the clamped frames themselves: exact. The linear ones differ by the loader's γ table.
        TensorAssert.Exact(inputs[.., .., 3..6], asInputs[.., .., 3..6], "LDR channels");
        TensorAssert.Close(inputs[.., .., ..3], asInputs[.., .., ..3], 1e-4, "linear channels");
        Assert.False(inputs.allclose(batch.Inputs), "the recipe's channel shuffle changed no row");
        TensorAssert.Exact(ones(3, 1, 16, 16), keep!, "keep");
    }

    [Fact]
    public void Pseudo_labels_cover_the_unlabelled_scenes_and_refresh_once_per_epoch_after_the_warm_up()
    {
        var config = Config(labelled: 2, warmup: 1);
        var (recipe, data) = Build(config);
        using var _ = recipe;
        using var scope = NewDisposeScope();
        var scenes = data.Scenes!.All().ToArray();
        recipe.OnEpochBegin(Epoch(config, data, 0));
        Assert.Equal(0, recipe.Cache.Count); // warm-up: no teacher yet

        recipe.OnEpochBegin(Epoch(config, data, 1));
        Assert.Equal(scenes.Where(s => !s.Labelled).Select(s => s.Id).Order(), recipe.Cache.SceneIds.Order());
        var id = scenes.First(s => !s.Labelled).Id;
        recipe.Cache.TryGet(id, out var first);
        var label = first.Tensors["label"].clone();
        Assert.Equal(1, first.Epoch);
        Assert.Equal(new long[] { 3, 40, 40 }, label.shape);

        using (var batch = FirstBatchWhere(data, b => !b.AllLabelled)) recipe.TrainStep(batch, new StepContext(1, 0, 0));
        recipe.OnEpochBegin(Epoch(config, data, 1)); // same epoch again (e.g. a hook re-run): nothing is recomputed
        recipe.Cache.TryGet(id, out var again);
        TensorAssert.Exact(label, again.Tensors["label"], "same-epoch label");

        recipe.OnEpochBegin(Epoch(config, data, 2));
        recipe.Cache.TryGet(id, out var next);
        Assert.Equal(2, next.Epoch);
        Assert.False(label.allclose(next.Tensors["label"], 0, 0), "the next epoch's label comes from the updated teacher");
    }

    [Fact]
    public void Masked_pixels_contribute_zero_loss()
    {
        var config = Config(labelled: 0);
        using var scope = NewDisposeScope();
        // A judge uncertainty with one hot block: the bi-level mask drops it.
        var sigma = full(1, 1, 40, 40, Scalars.Of(0.1f));
        sigma[.., .., 8..16, 24..32] = 2f;
        using var mask = BiLevelUncertaintyMask.Compute(sigma, new BiLevelMaskOptions(8, 0.4, 0.4));
        Assert.Equal(64f, (Scalars.Of(1) - mask.Keep).sum().item<float>());

        double[] losses = new double[2];
        var weights = new Dictionary<string, Tensor>[2];
        for (int run = 0; run < 2; run++)
        {
            var (recipe, data) = Build(config);
            using var _ = recipe;
            foreach (var scene in data.Scenes!.All())
            {
                var label = full(3, 40, 40, Scalars.Of(0.5f));
                // Inside the dropped block the pseudo label is garbage, and different garbage per run.
                label[.., 8..16, 24..32] = run == 0 ? 1000f : 0f;
                recipe.Cache.Store(scene.Id, 0, new Dictionary<string, Tensor> { ["label"] = label, ["keep"] = mask.Keep[0] });
            }
            using var batch = data.GetBatch(0, 0, Cpu);
            losses[run] = recipe.TrainStep(batch, new StepContext(0, 0, 0)).Loss;
            weights[run] = Snapshot(recipe.Student);
        }
        Assert.True(losses[0] > 0);
        Assert.Equal(losses[0], losses[1]);
        foreach (var (name, w) in weights[0]) TensorAssert.Exact(w, weights[1][name], name);
    }

    [Fact]
    public void An_unlabelled_only_batch_trains_the_student_through_its_pseudo_labels_only()
    {
        var config = Config(labelled: 0, warmup: 1);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> Train(int epoch, float keep, out StepOutcome outcome)
        {
            var (recipe, data) = Build(config);
            using var _ = recipe;
            foreach (var scene in data.Scenes!.All())
                recipe.Cache.Store(scene.Id, 0, new Dictionary<string, Tensor> { ["label"] = full(3, 40, 40, Scalars.Of(0.5f)), ["keep"] = full(1, 40, 40, Scalars.Of(keep)) });
            using var batch = data.GetBatch(0, 0, Cpu);
            Assert.False(batch.AnyLabelled);
            var before = Snapshot(recipe.Student);
            outcome = recipe.TrainStep(batch, new StepContext(epoch, 0, 0));
            var after = Snapshot(recipe.Student);
            return before.ToDictionary(kv => kv.Key, kv => after[kv.Key] - kv.Value);
        }

        var warmup = Train(0, 1f, out var warm);
        var trusted = Train(1, 1f, out var semi);
        var nothingKept = Train(1, 0f, out var dropped);

        Assert.Equal(0, warm.Loss);
        Assert.All(warmup.Values, d => Assert.Equal(0f, d.abs().max().item<float>()));
        Assert.True(semi.Loss > 0 && semi.Terms.ContainsKey("unsup_loss") && !semi.Terms.ContainsKey("sup_loss"));
        Assert.Contains(trusted.Values, d => d.abs().max().item<float>() > 0);
        Assert.Equal(0, dropped.Loss);
        Assert.All(nothingKept.Values, d => Assert.Equal(0f, d.abs().max().item<float>()));
    }

    [Fact]
    public void A_missing_feature_tap_fails_naming_the_taps()
    {
        var config = Config();
        config.RecipeOptions.Set("feature", "att9");
        var e = Assert.Throws<ArgumentException>(() => new SemiSupervisedRecipe(config, Cpu));
        Assert.Contains("att9", e.Message);
        Assert.Contains("fused", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void Resume_inside_a_semi_supervised_epoch_reproduces_the_losses(int? labelledPerBatch)
    {
        var config = Config(labelled: 2, warmup: 1, epochs: 3, batches: 3);
        config.Data.LabelledPerBatch = labelledPerBatch;
        using var straightDir = new TestData.TempDir();
        using var cutDir = new TestData.TempDir();
        // Step 5 lies inside epoch 1, after its pseudo labels were made: only the checkpoint can bring them back.
        var (straight, cut) = InterruptedRun.StraightAndCut(config, straightDir.Path, cutDir.Path, cutAtStep: 5);
        torch.manual_seed(999);
        using var resumed = Trainer.Resume(cut.CheckpointPath);
        Assert.True(((SemiSupervisedRecipe)resumed.Recipe).Cache.Count > 0);
        var rest = resumed.Run(TestContext.Current.CancellationToken).Losses;

        Assert.Equal(9, straight.Count);
        Assert.Equal(4, rest.Count);
        for (int i = 0; i < rest.Count; i++)
            Assert.True(Math.Abs(rest[i] - straight[5 + i]) <= 1e-6 * Math.Abs(straight[5 + i]), $"step {6 + i}: resumed {rest[i]:R}, uninterrupted {straight[5 + i]:R}");
    }

    [Fact]
    public void The_first_semi_epoch_draws_pseudo_label_uncertainty_and_masks_of_two_scenes()
    {
        var config = Config(labelled: 2, warmup: 1, epochs: 2, batches: 1);
        using var dir = new TestData.TempDir();
        using var trainer = new Trainer(config, dir.Path);
        trainer.Run(TestContext.Current.CancellationToken);
        var recipe = (SemiSupervisedRecipe)trainer.Recipe;

        Assert.False(Directory.Exists(Path.Combine(dir.Path, "semi", "epoch-001"))); // the warm-up has no pseudo labels
        var pictures = Directory.GetFiles(Path.Combine(dir.Path, "semi", "epoch-002"), "*.png").Order().ToArray();
        Assert.Equal(2, pictures.Length);
        foreach (var picture in pictures)
        {
            var image = HdrKit.Imaging.LdrImageFile.Read(picture).Pixels;
            Assert.Equal((40, 6 * 40 + 5 * 4), (image.Height, image.Width)); // reference, label, σ, patch, pixel, kept; no ground truth
            Assert.True(recipe.Cache.TryGet(Path.GetFileNameWithoutExtension(picture), out var entry));
            var keep = entry.Tensors["keep"].reshape(40, 40);
            for (int y = 0; y < 40; y += 7)
                for (int x = 0; x < 40; x += 7)
                    Assert.Equal(keep[y, x].item<float>(), image[0, y, 5 * 44 + x], 1e-6f);
        }
    }

    [Fact]
    public void Export_writes_the_chosen_backbone_only_and_the_validation_logs_both_candidates()
    {
        var config = Config(epochs: 1, batches: 2); // warm-up 0: the teacher starts in epoch 0 and is validated
        using var dir = new TestData.TempDir();
        NetworkInputSpec spec;
        using (var probe = new SemiSupervisedRecipe(config, Cpu)) spec = probe.InferenceNetwork.InputSpec;
        var simulator = DataSourceRegistry.SyntheticSimulator(config.Data.Stops, 24);
        var validation = new FolderValidationSource(Enumerable.Range(0, 2).Select(i => simulator.Simulate(5, i)), spec);
        using var trainer = new Trainer(config, dir.Path, validation: validation);
        var result = trainer.Run(TestContext.Current.CancellationToken);
        var recipe = (SemiSupervisedRecipe)trainer.Recipe;

        var val = File.ReadLines(trainer.MetricsPath).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Single(r => (string?)r["kind"] == "val");
        Assert.Equal(recipe.Exported, (string?)val["exported"]);
        var candidates = val["candidates"]!.AsObject();
        Assert.Equal(["student", "teacher"], candidates.Select(c => c.Key).Order());
        Assert.Equal((double)candidates[recipe.Exported]!["psnr_mu"]!, (double)val["psnr_mu"]!);
        Assert.True((double)candidates[recipe.Exported]!["psnr_mu"]! >= (double)candidates.Single(c => c.Key != recipe.Exported).Value!["psnr_mu"]!);

        using var scope = NewDisposeScope();
        var written = SafeTensors.Load(result.WeightsPath!, out var metadata);
        var expected = recipe.InferenceNetwork.state_dict();
        Assert.Equal(expected.Keys.Order(), written.Keys.Order());
        Assert.All(expected, kv => TensorAssert.Exact(kv.Value, written[kv.Key], kv.Key));
        Assert.DoesNotContain(written.Keys, k => k.Contains("judge") || k.Contains("teacher"));
        Assert.Equal(SemiSupervisedRecipe.RegistryName, metadata["recipe"]);
        using var fresh = ModelRegistry.CreateWithWeights(config.Model.Name, result.WeightsPath!, config.Model.ToOptions());
    }

    private static Dictionary<string, IReadOnlyDictionary<string, double>> Means(double student, double teacher) => new()
    {
        ["student"] = new Dictionary<string, double> { ["psnr_mu"] = student },
        ["teacher"] = new Dictionary<string, double> { ["psnr_mu"] = teacher },
    };

    [Fact]
    public void The_teacher_is_exported_when_it_validates_better_and_the_choice_survives_a_checkpoint()
    {
        var config = Config(labelled: 2, warmup: 1, alpha: 0.5);
        var (recipe, data) = Build(config);
        using var _ = recipe;
        Assert.Empty(recipe.ExportCandidates); // warm-up: the teacher is still a random network
        recipe.OnEpochBegin(Epoch(config, data, 1));
        using (var batch = FirstBatchWhere(data, b => !b.AllLabelled)) recipe.TrainStep(batch, new StepContext(1, 0, 0));
        Assert.Same(recipe.Teacher.Network, recipe.ExportCandidates["teacher"]);
        Assert.Same(recipe.Student.Network, recipe.ExportCandidates["student"]);

        Assert.Equal("teacher", recipe.ChooseExport(Means(20, 21)));
        Assert.Same(recipe.Teacher.Network, recipe.InferenceNetwork);
        using var dir = new TestData.TempDir();
        string path = Path.Combine(dir.Path, "m.safetensors");
        InferenceExport.Write(path, recipe, config, 1);
        using (var scope = NewDisposeScope())
        {
            var written = SafeTensors.Load(path, out var meta);
            var teacher = recipe.Teacher.Network.state_dict();
            Assert.All(teacher, kv => TensorAssert.Exact(kv.Value, written[kv.Key], kv.Key));
            Assert.Contains(recipe.Student.Network.state_dict(), kv => !kv.Value.allclose(written[kv.Key], 0, 0));
        }

        var (restored, _) = Build(config);
        using (restored)
        {
            restored.LoadState(recipe.SaveState());
            Assert.Equal("teacher", restored.Exported);
            Assert.Equal(2, restored.ExportCandidates.Count);
        }

        Assert.Equal("student", recipe.ChooseExport(Means(21, 20)));
        Assert.Same(recipe.Student.Network, recipe.InferenceNetwork);

        config.RecipeOptions.Set("export", "student");
        var (studentOnly, _) = Build(config);
        using (studentOnly)
        {
            studentOnly.LoadState(recipe.SaveState());
            Assert.Empty(studentOnly.ExportCandidates);
        }
    }

    [Fact]
    public void One_refresh_normalises_every_scene_by_one_range_and_logs_it()
    {
        var config = Config(labelled: 2, warmup: 0);
        var (recipe, data) = Build(config);
        using var _ = recipe;
        recipe.OnEpochBegin(Epoch(config, data, 0));
        var sigmas = recipe.Cache.SceneIds.Select(id => { recipe.Cache.TryGet(id, out var e); return e.Tensors["sigma"].unsqueeze(0); }).ToList();
        var range = BiLevelUncertaintyMask.Range(sigmas, recipe.Options.Mask);
        foreach (var id in recipe.Cache.SceneIds)
        {
            recipe.Cache.TryGet(id, out var e);
            using var mask = BiLevelUncertaintyMask.Compute(e.Tensors["sigma"].unsqueeze(0), recipe.Options.Mask, range);
            TensorAssert.Exact(mask.Keep[0], e.Tensors["keep"], id);
        }
        using var batch = FirstBatchWhere(data, b => !b.AllLabelled);
        var terms = recipe.TrainStep(batch, new StepContext(0, 0, 0)).Terms;
        Assert.Equal(range.Low, terms["mask_sigma_low"], 6);
        Assert.Equal(range.High, terms["mask_sigma_high"], 6);
        double kept = sigmas.Count == 0 ? 0 : recipe.Cache.SceneIds.Average(id => { recipe.Cache.TryGet(id, out var e); return (double)e.Tensors["keep"].mean().item<float>(); });
        Assert.Equal(kept, terms["kept_fraction_scenes"], 5); // scenes of one size: the mean of means
        Assert.InRange(terms["kept_fraction"], 0, 1);
    }

    [Fact]
    public void A_checkpoint_draws_an_outside_bracket_with_the_run_s_sigma_range()
    {
        var config = Config(epochs: 1, batches: 1);
        using var run = new TestData.TempDir();
        using (var trainer = new Trainer(config, run.Path)) trainer.Run(TestContext.Current.CancellationToken);
        using var brackets = new TestData.TempDir();
        // A simulated scene written as a bracket folder (inputs + exposure.txt), its ground truth removed.
        _ = new SimulatedSceneSource(DataSourceRegistry.SyntheticSimulator(config.Data.Stops, 40), 99, 1, 0, brackets.Path).Scene(0);
        foreach (var f in Directory.GetFiles(brackets.Path, KalantariScene.GroundTruthFile, SearchOption.AllDirectories)) File.Delete(f);

        using var pictures = new TestData.TempDir();
        var drawn = SemiSupervisedPictures.FromCheckpoint(Path.Combine(run.Path, "checkpoints"), brackets.Path, pictures.Path, downscale: 2);

        var p = Assert.Single(drawn);
        Assert.Equal((20, 20), (p.Width, p.Height));
        var image = HdrKit.Imaging.LdrImageFile.Read(p.Path).Pixels;
        Assert.Equal((20, 6 * 20 + 5 * 4), (image.Height, image.Width)); // no ground truth tile
        double keptTile = 0;
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 20; x++) keptTile += image[0, y, 5 * 24 + x];
        Assert.Equal(p.KeptFraction, keptTile / 400, 6);
        Assert.Throws<ArgumentException>(() => SemiSupervisedPictures.FromCheckpoint(Path.Combine(run.Path, "checkpoints"), brackets.Path, pictures.Path, downscale: 0));
    }
}
