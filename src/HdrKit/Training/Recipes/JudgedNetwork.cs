using HdrKit.Exposure;
using HdrKit.Models;
using HdrKit.Models.Auxiliary;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>
/// A backbone and the judge that reads one of its feature taps, as one module: the semi-supervised recipe's
/// student and its EMA teacher are two of these, so <see cref="Components.MeanTeacher{TModule}"/> averages
/// backbone and judge together (the paper's teacher predicts both the pseudo label and its uncertainty).
/// The μ-law tonemap of the prediction happens here because Models may not use Exposure.
/// </summary>
public sealed class JudgedNetwork : nn.Module
{
    private readonly HdrNetwork network;
    private readonly JudgeNetwork judge;

    public string Tap { get; }
    public float Mu { get; }
    public HdrNetwork Network => network;
    public JudgeNetwork Judge => judge;

    public JudgedNetwork(HdrNetwork network, string tap, int judgeHidden, float mu) : base(nameof(JudgedNetwork))
    {
        var info = network.FeatureInfo.FirstOrDefault(f => f.Name == tap)
            ?? throw new ArgumentException($"the judge reads feature tap '{tap}', which {network.GetType().Name} does not expose (it has {string.Join(", ", network.FeatureInfo.Select(f => f.Name))})");
        this.network = network;
        judge = new JudgeNetwork(info.Channels, judgeHidden);
        Tap = tap;
        Mu = mu;
        RegisterComponents();
    }

    /// <summary>Inputs [B, N, 6, H, W] → linear prediction [B, 3, H, W] and log σ² [B, 1, H, W].</summary>
    public (Tensor Prediction, Tensor LogVariance) Run(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var (prediction, features) = network.ForwardWithFeatures(inputs);
        var logVariance = judge.forward(features[Tap], MuLaw.Apply(prediction, Mu));
        return (prediction.MoveToOuterDisposeScope(), logVariance.MoveToOuterDisposeScope());
    }
}
