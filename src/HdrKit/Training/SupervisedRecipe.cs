using HdrKit.Data;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Plain supervised training of one registry network on (brackets, ground truth) with the configured
/// composite loss — how AHDRNet, HDR-Transformer, SAFNet and SMHDR's phase 1 are trained. Honours the
/// batch's pixel weight, so masked or segment-weighted variants only change what the batch carries.
/// </summary>
public sealed class SupervisedRecipe : TrainingRecipe
{
    private readonly HdrNetwork _model;
    private readonly CompositeLoss _loss;
    private readonly NamedOptimizer _optimizer;
    private readonly IReadOnlyDictionary<string, double> _auxiliary;
    private readonly MuLawL1Loss _auxiliaryLoss;
    private readonly IReadOnlyDictionary<string, double[]> _auxiliaryRange;

    /// <param name="prepare">
    /// Runs on the built model before the optimiser collects its parameters: recipes that train the same way
    /// install hooks (SMHDR's feature masker) or freeze parameters here.
    /// </param>
    public SupervisedRecipe(TrainingConfig config, Device device, Action<HdrNetwork>? prepare = null)
    {
        _model = config.Model.Build();
        try { prepare?.Invoke(_model); }
        catch
        {
            _model.Dispose();
            throw;
        }
        _model.to(device);
        _auxiliary = config.Loss.Auxiliary;
        _auxiliaryLoss = new MuLawL1Loss(config.Loss.Mu);
        _auxiliaryRange = config.Loss.AuxiliaryTargetRange;
        foreach (var (name, range) in _auxiliaryRange)
        {
            if (!_auxiliary.ContainsKey(name))
                throw new ArgumentException($"loss.auxiliary_target_range names '{name}', which loss.auxiliary does not list");
            if (range is not [var low, var high] || !(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
                throw new ArgumentException($"loss.auxiliary_target_range of '{name}' must be [low, high] with low ≤ high, got [{string.Join(", ", range ?? [])}]");
        }
        var features = _model.FeatureInfo.Select(f => f.Name).ToHashSet();
        foreach (var (name, weight) in _auxiliary)
        {
            if (!features.Contains(name))
                throw new ArgumentException($"loss.auxiliary names feature '{name}', which {config.Model.Name} does not expose (it has {string.Join(", ", features)})");
            if (!(weight >= 0) || !double.IsFinite(weight))
                throw new ArgumentException($"loss.auxiliary weight of '{name}' must be a finite non-negative number, got {weight}");
        }
        _model.train();
        _loss = TrainingLosses.For(config, "model", device);
        _optimizer = NamedOptimizer.Adam("model", _model.named_parameters(), config.Optimizer);
        Modules = new Dictionary<string, nn.Module> { ["model"] = _model };
        Optimizers = [_optimizer];
    }

    public override string Name => "supervised";
    public override IReadOnlyDictionary<string, nn.Module> Modules { get; }
    public override IReadOnlyList<NamedOptimizer> Optimizers { get; }
    public override HdrNetwork InferenceNetwork => _model;

    public override StepOutcome TrainStep(TrainingBatch batch, StepContext context)
    {
        // Unlabelled samples of a mixed batch have nothing to supervise (semi-supervised recipes use them); a batch
        // of unlabelled samples only is a step without an update, logged as such rather than ending the run.
        if (batch.LabelledOnly() is not { } labelled) return new StepOutcome(0, new Dictionary<string, double> { ["labelled_samples"] = 0 });
        batch = labelled;
        _model.train();
        _optimizer.ZeroGrad();
        Tensor prediction;
        IReadOnlyDictionary<string, Tensor>? features = null;
        if (_auxiliary.Count == 0) prediction = _model.forward(batch.Inputs);
        else (prediction, features) = _model.ForwardWithFeatures(batch.Inputs);
        var result = _loss.Compute(new LossInputs(prediction, batch.Target!, batch.PixelWeight));
        var total = result.Total;
        var terms = result.Terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>());
        foreach (var (name, weight) in _auxiliary)
        {
            var term = _auxiliaryLoss.Compute(new LossInputs(features![name], batch.Target!, AuxiliaryWeight(batch.Target!, _auxiliaryRange.GetValueOrDefault(name), batch.PixelWeight)));
            total = total + term * Scalars.Of(weight);
            terms[$"aux_{name}"] = term.item<float>();
        }
        total.backward();
        _optimizer.Step();
        return new StepOutcome(total.item<float>(), terms);
    }

    /// <summary>
    /// The pixel weight of an auxiliary term, limited to the pixels whose target lies in the feature's
    /// <see cref="LossConfig.AuxiliaryTargetRange"/> in every channel. The range is chosen by the target, not by the
    /// feature: a mask read off a warped exposure would let the flow escape the term by pointing into black or clipped areas.
    /// </summary>
    private static Tensor? AuxiliaryWeight(Tensor target, double[]? range, Tensor? pixelWeight)
    {
        if (range is null) return pixelWeight;
        using var scope = NewDisposeScope();
        var inRange = ((target >= Scalars.Of(range[0])) & (target <= Scalars.Of(range[1]))).all(1, keepdim: true).to(target.dtype);
        return (pixelWeight is null ? inRange : inRange * pixelWeight).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _loss.Dispose();
        base.Dispose(disposing);
    }
}
