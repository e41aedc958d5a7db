using HdrKit.Losses;
using HdrKit.Models;
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

    public SupervisedRecipe(TrainingConfig config, Device device)
    {
        _model = ModelRegistry.Create(config.Model.Name, config.Model.ToOptions());
        _model.to(device);
        _model.train();
        _loss = TrainingLosses.Create(config.Loss, device);
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
        _model.train();
        _optimizer.ZeroGrad();
        var prediction = _model.forward(batch.Input);
        var result = _loss.Compute(new LossInputs(prediction, batch.Target, batch.PixelWeight));
        result.Total.backward();
        _optimizer.Step();
        return new StepOutcome(result.Total.item<float>(), result.Terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>()));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _loss.Dispose();
        base.Dispose(disposing);
    }
}
