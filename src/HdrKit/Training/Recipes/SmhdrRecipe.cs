using HdrKit.Data;
using HdrKit.Inference;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Training.Components;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>
/// SMHDR (Ni et al., IJCV 2025; docs/methods.md "SMHDR"): supervised training of SMNet whose first Swin block
/// of each group masks features by segment, with a curriculum on the global ratio, and whose loss is weighted
/// towards badly reconstructed segments. Per-segment PSNR-μ comes from full-scene predictions of the training
/// scenes, refreshed on the curriculum's schedule; each patch reads its scene's per-segment weights and ratios
/// through its segment ids, which the loader cut by the same placement as the patch. The loss and the optimiser
/// are the supervised recipe's, fed a batch that carries the segment weights. The masker's generator and the
/// statistics are checkpointed, so a resumed run continues with the same masks and weights.
/// </summary>
public sealed class SmhdrRecipe : TrainingRecipe
{
    private readonly SupervisedRecipe _inner;
    private readonly SegmentFeatureMasker _masker;
    private readonly Dictionary<string, SceneStatistics> _statistics = new(StringComparer.Ordinal);
    private int _ratioEpoch = -1;
    private int _statisticsEpoch;

    public SmhdrOptions Options { get; }

    /// <summary>Global masking ratio of the current epoch (0 before the first step).</summary>
    public double Ratio { get; private set; }

    /// <summary>The hook installed in the model; null when masking is off.</summary>
    public SegmentFeatureMasker? Masker => Options.Masking == SmhdrMasking.None ? null : _masker;

    /// <summary>1-based epoch whose statistics are cached (0 = none yet: uniform weights and ratios).</summary>
    public int StatisticsEpoch => _statisticsEpoch;

    /// <summary>Scene ids that have per-segment statistics.</summary>
    public IReadOnlyCollection<string> ScenesWithStatistics => _statistics.Keys;

    public SmhdrRecipe(TrainingConfig config, Device device)
    {
        Options = SmhdrOptions.From(config);
        _masker = new SegmentFeatureMasker(Options.Seed, Options.MaskProbability);
        try
        {
            _inner = new SupervisedRecipe(config, device, model => Prepare(model, config));
        }
        catch
        {
            _masker.Dispose();
            throw;
        }
    }

    private void Prepare(HdrNetwork model, TrainingConfig config)
    {
        if (Options.Masking != SmhdrMasking.None)
        {
            if (model is not SmNet smnet)
                throw new ArgumentException($"recipe smhdr masks features through SMNet's feature-masker hook, which model '{config.Model.Name}' lacks: use model.name smnet or smnet-small, or set recipe_options.masking: none");
            smnet.FeatureMasker = _masker;
        }
        if (Options.ExposureFinetune)
        {
            if (model is not SmNet)
                throw new ArgumentException($"recipe_options.exposure_finetune: only SMNet declares its exposure-dependent parameters, model '{config.Model.Name}' does not; set model.trainable instead");
            if (config.Model.Trainable is { Length: > 0 })
                throw new ArgumentException("recipe_options.exposure_finetune chooses the trainable parameters itself; remove model.trainable");
            ParameterGroups.Apply(model, SmNet.ExposureDependentPrefixes.ToArray(), config.Model.Frozen ?? [], "recipe_options.exposure_finetune / model");
        }
    }

    public override string Name => "smhdr";
    public override IReadOnlyDictionary<string, nn.Module> Modules => _inner.Modules;
    public override IReadOnlyList<NamedOptimizer> Optimizers => _inner.Optimizers;
    public override HdrNetwork InferenceNetwork => _inner.InferenceNetwork;

    public override void OnEpochBegin(EpochContext context)
    {
        SetEpoch(context.Epoch);
        int epoch = context.Epoch + 1;
        if (Options.NeedsStatistics && _statisticsEpoch != epoch && Options.Curriculum.RefreshesStatistics(epoch))
            RefreshStatistics(context, epoch);
    }

    private void SetEpoch(int epoch)
    {
        if (_ratioEpoch == epoch) return;
        Ratio = Options.Ratio(epoch);
        _ratioEpoch = epoch;
    }

    /// <summary>Per-segment PSNR-μ of every labelled, segmented training scene, from the model as it stands (eval mode, whole images).</summary>
    public void RefreshStatistics(EpochContext context, int epoch)
    {
        var scenes = context.Scenes
            ?? throw new InvalidOperationException("recipe smhdr recomputes per-segment statistics over whole training scenes, which this data source (an endless one such as synthetic) does not offer: use a simulate or kalantari source");
        var device = InferenceNetwork.parameters().First().device;
        foreach (var scene in scenes.All())
        {
            if (scene.GroundTruth is null || scene.Segments is null) continue;
            using var scope = NewDisposeScope();
            var input = NetworkInput.Build(scene.ToBracket(), InferenceNetwork.InputSpec).to(device);
            var prediction = Predict(input).cpu();
            var truth = scene.GroundTruth.ToTensor().unsqueeze(0);
            var segments = SegmentTensor(scene.Segments);
            int count = scene.Segments.Labels.Max() + 1;
            using var psnr = SegmentReconstructionStats.PsnrMu(prediction, truth, segments, count);
            Store(scene.Id, psnr.PsnrMu[0], psnr.Counts[0]);
        }
        _statisticsEpoch = epoch;
    }

    /// <summary>A scene's segment ids as the loader cuts them: [1, H, W] int64.</summary>
    public static Tensor SegmentTensor(LabelImage labels) =>
        torch.tensor(labels.Labels.Select(l => (long)l).ToArray(), new long[] { 1, labels.Height, labels.Width }, ScalarType.Int64);

    private void Store(string sceneId, Tensor psnr, Tensor counts)
    {
        if (_statistics.Remove(sceneId, out var old)) old.Dispose();
        _statistics[sceneId] = SceneStatistics.Create(psnr, counts, Options);
    }

    /// <summary>
    /// Per-segment loss weights [B, S] of the batch's scenes (S = the largest segment count among them), rows of
    /// scenes without statistics all ones.
    /// </summary>
    public Tensor SegmentLossWeights(TrainingBatch batch) => PerSample(batch, s => s.LossWeights, 1.0);

    /// <summary>Per-segment masking ratios [B, S] at the current global ratio, rows of scenes without statistics all at the global ratio.</summary>
    public Tensor SegmentMaskRatios(TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        return (PerSample(batch, s => s.MaskWeights, 1.0) * Ratio).MoveToOuterDisposeScope();
    }

    /// <summary>The batch's per-pixel segment weights [B, 1, P, P]: each patch's segment ids looked up in its scene's weights.</summary>
    public Tensor PatchWeights(TrainingBatch batch)
    {
        var segments = RequireSegments(batch);
        using var scope = NewDisposeScope();
        using var weights = SegmentLossWeights(batch);
        return SegmentWeights.ToPixelWeights(segments, weights.to(segments.device)).MoveToOuterDisposeScope();
    }

    private Tensor PerSample(TrainingBatch batch, Func<SceneStatistics, Tensor> pick, double fallback)
    {
        var segments = RequireSegments(batch);
        using var scope = NewDisposeScope();
        long width = segments.max().item<long>() + 1;
        foreach (var id in batch.SceneIds)
            if (_statistics.TryGetValue(id, out var s)) width = Math.Max(width, s.LossWeights.shape[0]);
        var rows = batch.SceneIds.Select(id =>
        {
            if (!_statistics.TryGetValue(id, out var s)) return full(new long[] { width }, fallback, dtype: ScalarType.Float32);
            var row = pick(s);
            // Ids beyond a scene's own count never occur in its patches; 0 keeps the row rectangular.
            return nn.functional.pad(row, [0, width - row.shape[0]]);
        }).ToArray();
        return stack(rows).to(segments.device).MoveToOuterDisposeScope();
    }

    private static Tensor RequireSegments(TrainingBatch batch) => batch.Segments
        ?? throw new InvalidOperationException("recipe smhdr needs segment maps for every training scene (simulate data, or kalantari folders with segments); set recipe_options.masking: random or none and weighted_loss: false to train without");

    public override StepOutcome TrainStep(TrainingBatch batch, StepContext context)
    {
        SetEpoch(context.Epoch);
        if (batch.LabelledOnly() is not { } labelled) return _inner.TrainStep(batch, context);
        using var scope = NewDisposeScope();
        var weighted = Options.WeightedLoss ? labelled with { PixelWeight = SegmentWeights.Combine(labelled.PixelWeight, PatchWeights(labelled)) } : labelled;
        switch (Options.Masking)
        {
            case SmhdrMasking.Semantic:
                _masker.SetBatch(RequireSegments(labelled), SegmentMaskRatios(labelled));
                break;
            case SmhdrMasking.Random:
                _masker.SetUniform((int)labelled.Size, Ratio);
                break;
        }
        try
        {
            var outcome = _inner.TrainStep(weighted, context);
            var terms = new Dictionary<string, double>(outcome.Terms) { ["mask_ratio"] = Ratio };
            return outcome with { Terms = terms };
        }
        finally
        {
            _masker.Clear();
        }
    }

    public override IReadOnlyDictionary<string, Tensor> SaveState()
    {
        var state = new Dictionary<string, Tensor>
        {
            ["masker_generator"] = _masker.GetGeneratorState(),
            ["statistics_epoch"] = torch.tensor(new long[] { _statisticsEpoch }),
        };
        foreach (var (id, s) in _statistics)
        {
            state[$"psnr_mu.{id}"] = s.PsnrMu.clone();
            state[$"counts.{id}"] = s.Counts.clone();
        }
        return state;
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("masker_generator", out var generator) || !state.TryGetValue("statistics_epoch", out var epoch))
            throw new InvalidDataException("the checkpoint lacks the smhdr recipe's state (masker_generator, statistics_epoch)");
        _masker.SetGeneratorState(generator.clone());
        _statisticsEpoch = (int)epoch.item<long>();
        foreach (var s in _statistics.Values) s.Dispose();
        _statistics.Clear();
        foreach (var (key, psnr) in state)
        {
            if (!key.StartsWith("psnr_mu.", StringComparison.Ordinal)) continue;
            var id = key["psnr_mu.".Length..];
            if (!state.TryGetValue($"counts.{id}", out var counts)) throw new InvalidDataException($"the checkpoint has per-segment PSNR-μ but no counts for scene {id}");
            Store(id, psnr, counts);
        }
        _ratioEpoch = -1;
    }

    protected override void Dispose(bool disposing)
    {
        // The supervised recipe owns the modules and optimisers; the base would dispose them a second time.
        if (!disposing) return;
        _inner.Dispose();
        _masker.Dispose();
        foreach (var s in _statistics.Values) s.Dispose();
        _statistics.Clear();
    }

    /// <summary>One scene's statistics and what they turn into: PSNR-μ [S] float64, counts [S] int64, loss weights and mask weights [S] float32 (mean 1 over present segments).</summary>
    private sealed record SceneStatistics(Tensor PsnrMu, Tensor Counts, Tensor LossWeights, Tensor MaskWeights) : IDisposable
    {
        public static SceneStatistics Create(Tensor psnr, Tensor counts, SmhdrOptions options)
        {
            using var scope = NewDisposeScope();
            var p = psnr.to(ScalarType.Float64).detach().clone().unsqueeze(0);
            var c = counts.to(ScalarType.Int64).detach().clone().unsqueeze(0);
            var loss = SegmentWeights.SoftmaxOverSegments(p, c, -options.LossTemperature)[0];
            var mask = SegmentWeights.SoftmaxOverSegments(p, c, options.MaskTemperature)[0];
            return new SceneStatistics(p[0].DetachFromDisposeScope(), c[0].DetachFromDisposeScope(), loss.DetachFromDisposeScope(), mask.DetachFromDisposeScope());
        }

        public void Dispose()
        {
            PsnrMu.Dispose(); Counts.Dispose(); LossWeights.Dispose(); MaskWeights.Dispose();
        }
    }
}
