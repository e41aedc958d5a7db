using HdrKit.Exposure;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// L1 between μ-law tonemapped prediction and target, the reconstruction loss of every method HdrKit
/// implements: comparing in the tonemapped domain keeps dark regions from being ignored next to highlights.
/// </summary>
public sealed class MuLawL1Loss(float mu = MuLaw.Mu) : ILossTerm
{
    public string Name => "mu_l1";

    public Tensor Compute(LossInputs inputs) =>
        WeightedL1.Mean(MuLaw.Apply(inputs.Prediction, mu), MuLaw.Apply(inputs.Target, mu), inputs.PixelWeight);

    public void Dispose() { }
}
