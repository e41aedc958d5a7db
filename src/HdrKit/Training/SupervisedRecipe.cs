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
            var term = _auxiliaryLoss.Compute(new LossInputs(features![name], batch.Target!, batch.PixelWeight));
            total = total + term * Scalars.Of(weight);
            terms[$"aux_{name}"] = term.item<float>();
        }
        total.backward();
        _optimizer.Step();
        return new StepOutcome(total.item<float>(), terms);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _loss.Dispose();
        base.Dispose(disposing);
    }
}
