using HdrKit.Data;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Training;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>
/// A recipe with a main network and an auxiliary one of the same architecture (so both have an `encode.weight`),
/// each with its own optimiser; the auxiliary module is listed first and the main one is not called "model", so
/// code that assumed either would export or restore the wrong network.
/// </summary>
internal sealed class TwoNetworkRecipe : TrainingRecipe
{
    public const string RegistryName = "test-two-network";

    private readonly HdrNetwork _student, _judge;
    private readonly NamedOptimizer _studentOptimizer, _judgeOptimizer;
    private readonly MuLawL1Loss _loss = new(5000f);

    public TwoNetworkRecipe(TrainingConfig config, Device device)
    {
        _judge = config.Model.Build();
        _student = config.Model.Build();
        _judge.to(device);
        _student.to(device);
        _studentOptimizer = NamedOptimizer.Adam("student", _student.named_parameters(), config.Optimizer);
        _judgeOptimizer = NamedOptimizer.Adam("judge", _judge.named_parameters(), config.Optimizer, lr: config.Optimizer.Lr / 4);
        Modules = new Dictionary<string, nn.Module> { ["judge"] = _judge, ["student"] = _student };
        Optimizers = [_studentOptimizer, _judgeOptimizer];
    }

    public static void Register()
    {
        TinyHdrNet.Register();
        RecipeRegistry.Register(RegistryName, (config, device) => new TwoNetworkRecipe(config, device));
    }

    public override string Name => RegistryName;
    public override IReadOnlyDictionary<string, nn.Module> Modules { get; }
    public override IReadOnlyList<NamedOptimizer> Optimizers { get; }
    public override HdrNetwork InferenceNetwork => _student;
    public HdrNetwork Judge => _judge;

    public override StepOutcome TrainStep(TrainingBatch batch, StepContext context)
    {
        _studentOptimizer.ZeroGrad();
        _judgeOptimizer.ZeroGrad();
        var student = _loss.Compute(new LossInputs(_student.forward(batch.Inputs), batch.Target!, batch.PixelWeight));
        // The judge learns to reproduce the student's output: a different objective, so the two drift apart.
        var judge = _loss.Compute(new LossInputs(_judge.forward(batch.Inputs), _student.forward(batch.Inputs).detach() * Scalars.Of(0.5), batch.PixelWeight));
        (student + judge).backward();
        _studentOptimizer.Step();
        _judgeOptimizer.Step();
        return new StepOutcome(student.item<float>() + judge.item<float>(), new Dictionary<string, double> { ["student"] = student.item<float>(), ["judge"] = judge.item<float>() });
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _loss.Dispose();
        base.Dispose(disposing);
    }
}
