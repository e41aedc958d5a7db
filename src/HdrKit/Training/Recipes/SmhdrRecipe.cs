using HdrKit.Data;
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
    private int _ratioEpoch = -1;

    public SmhdrOptions Options { get; }

    /// <summary>Global masking ratio of the current epoch (0 before the first step).</summary>
    public double Ratio { get; private set; }

    /// <summary>The hook installed in the model; null when masking is off.</summary>
    public SegmentFeatureMasker? Masker => Options.Masking == SmhdrMasking.None ? null : _masker;

    /// <summary>Per-scene, per-segment PSNR-μ and the weights and ratios made from it (none before the first refresh: uniform).</summary>
    public SceneSegmentStatistics Statistics { get; }

    public SmhdrRecipe(TrainingConfig config, Device device)
    {
        Options = SmhdrOptions.From(config);
        Statistics = new SceneSegmentStatistics(Options.LossTemperature, Options.MaskTemperature);
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
        if (Options.NeedsStatistics && Statistics.Epoch != epoch && Options.Curriculum.RefreshesStatistics(epoch))
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
        Statistics.Refresh(scenes, InferenceNetwork.InputSpec, InferenceNetwork.parameters().First().device, Predict, epoch);
    }

    /// <summary>Per-segment masking ratios [B, S] at the current global ratio.</summary>
    public Tensor SegmentMaskRatios(TrainingBatch batch) => Statistics.MaskRatios(batch, Ratio);

    /// <summary>The batch's per-pixel segment weights [B, 1, P, P].</summary>
    public Tensor PatchWeights(TrainingBatch batch) => Statistics.PatchWeights(batch);

    private static Tensor RequireSegments(TrainingBatch batch) => batch.Segments
        ?? throw new InvalidOperationException("recipe smhdr needs segment maps for every training scene (simulate data, or kalantari folders with segments); set recipe_options.masking: random or none and weighted_loss: false to train without");

    public override StepOutcome TrainStep(TrainingBatch batch, StepContext context)
    {
        SetEpoch(context.Epoch);
        if (batch.LabelledOnly() is not { } labelled) return _inner.TrainStep(batch, context);
        if (Options.NeedsStatistics) RequireSegments(labelled);
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

    public override IReadOnlyDictionary<string, Tensor> SaveState() =>
        new Dictionary<string, Tensor>(Statistics.SaveState("statistics.")) { ["masker_generator"] = _masker.GetGeneratorState() };

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("masker_generator", out var generator))
            throw new InvalidDataException("the checkpoint lacks the smhdr recipe's state (masker_generator)");
        _masker.SetGeneratorState(generator.clone());
        Statistics.LoadState(state, "statistics.");
        _ratioEpoch = -1;
    }

    protected override void Dispose(bool disposing)
    {
        // The supervised recipe owns the modules and optimisers; the base would dispose them a second time.
        if (!disposing) return;
        _inner.Dispose();
        _masker.Dispose();
        Statistics.Dispose();
    }
}
