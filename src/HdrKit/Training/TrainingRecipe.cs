using HdrKit.Data;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// A training method (BasicSR's "model"): owns every network it trains or consults, their optimisers and the
/// per-step loss computation. The trainer only schedules: it feeds batches, sets learning rates, calls the
/// epoch hooks, checkpoints <see cref="Modules"/>, <see cref="Optimizers"/> and <see cref="SaveState"/>, and
/// validates <see cref="InferenceNetwork"/>. Knowledge transfer (network + refiner + frozen segmenter),
/// semi-supervised (student + EMA teacher + judge) and semantic masking (curriculum, per-segment weights)
/// are further subclasses; the plain supervised recipe is the first.
/// </summary>
public abstract class TrainingRecipe : IDisposable
{
    public abstract string Name { get; }

    /// <summary>Every module whose weights a checkpoint must hold, by a stable name ("model", "teacher", "judge"…).</summary>
    public abstract IReadOnlyDictionary<string, nn.Module> Modules { get; }

    public abstract IReadOnlyList<NamedOptimizer> Optimizers { get; }

    /// <summary>The network that is validated and exported (the one users run at inference).</summary>
    public abstract HdrNetwork InferenceNetwork { get; }

    /// <summary>
    /// Networks the recipe could export, by name, validated side by side at each validation; empty (the default)
    /// validates <see cref="InferenceNetwork"/> alone. After such a validation the trainer hands every
    /// candidate's means to <see cref="ChooseExport"/>, which names the candidate <see cref="InferenceNetwork"/> is
    /// from then on.
    /// </summary>
    public virtual IReadOnlyDictionary<string, HdrNetwork> ExportCandidates { get; } = new Dictionary<string, HdrNetwork>();

    /// <summary>Takes the candidates' validation means (name → metric → value) and returns the chosen candidate's name.</summary>
    public virtual string ChooseExport(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> means) =>
        throw new NotSupportedException($"recipe {Name} has no export candidates to choose from");

    /// <summary>Parameters over <see cref="Modules"/>, and how many of them train (the rest are frozen by name or by the recipe).</summary>
    public (long Total, long Trainable) ParameterCounts() => ParameterGroups.Count(Modules.Values);

    /// <summary>One optimisation step on a batch: forward, loss, backward, optimiser step(s).</summary>
    public abstract StepOutcome TrainStep(TrainingBatch batch, StepContext context);

    /// <summary>
    /// Called once by the trainer with its batch source, before any step (also when resuming mid-epoch, where
    /// <see cref="OnEpochBegin"/> is not called): recipes that keep per-scene state find the scenes here.
    /// </summary>
    public virtual void AttachData(ITrainingBatchSource data) { }

    /// <summary>Called before the first step of each epoch (not again when resuming mid-epoch).</summary>
    public virtual void OnEpochBegin(EpochContext context) { }

    /// <summary>Called after the last step of each epoch, before validation and checkpointing.</summary>
    public virtual void OnEpochEnd(EpochContext context) { }

    /// <summary>Recipe state beyond modules and optimisers (curriculum ratio, per-segment weights…), saved in checkpoints.</summary>
    public virtual IReadOnlyDictionary<string, Tensor> SaveState() => new Dictionary<string, Tensor>();

    public virtual void LoadState(IReadOnlyDictionary<string, Tensor> state) { }

    /// <summary>Full-image prediction [1, 3, H, W] of <see cref="InferenceNetwork"/> for validation (<see cref="Predict(Tensor, HdrNetwork)"/>).</summary>
    public virtual Tensor Predict(Tensor input) => Predict(input, InferenceNetwork);

    /// <summary>
    /// Full-image prediction [1, 3, H, W] by <paramref name="net"/> as `hdrkit merge` makes it for an image that runs
    /// whole: eval mode, no gradients, input padded (edge replication) to <see cref="NetworkPadding.MultipleFor"/>, image
    /// statistics from the unpadded input, output cropped back. Restores the previous mode.
    /// </summary>
    public Tensor Predict(Tensor input, HdrNetwork net)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            long h = input.shape[3], w = input.shape[4];
            var x = NetworkPadding.Pad(input, NetworkPadding.MultipleFor(net));
            var statistics = net.UsesImageStatistics ? net.EstimateStatistics(ImageStatistics.Sample(input)) : null;
            var y = net.forward(x, statistics);
            if (x.shape[3] != h || x.shape[4] != w) y = y[.., .., ..(int)h, ..(int)w];
            return y.contiguous().MoveToOuterDisposeScope();
        }
        finally
        {
            net.train(wasTraining);
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var o in Optimizers) o.Dispose();
        foreach (var m in Modules.Values) m.Dispose();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
