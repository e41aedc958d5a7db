using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// L1 on linear values over the pixels whose target reaches <paramref name="threshold"/> in any channel, averaged over
/// those pixels only (and the pixel weight, if any). These are the highlights a clipped reference frame leaves to the
/// shorter exposures: the μ-law L1 compresses their errors several-fold and a linear L1 over the whole image dilutes
/// them by the many pixels below, so filling a clipped mover with too little radiance costs either little.
/// With targets scaled to the shortest exposure (as the Kalantari-layout data are) and a reference two stops
/// longer, the reference clips near 0.25. A batch without such pixels contributes 0.
/// </summary>
public sealed class HighlightL1Loss(double threshold = HighlightL1Loss.DefaultThreshold) : ILossTerm
{
    public const double DefaultThreshold = 0.25;

    public string Name => "highlight_l1";

    public double Threshold { get; } = threshold > 0 && double.IsFinite(threshold) ? threshold
        : throw new ArgumentOutOfRangeException(nameof(threshold), $"highlight threshold must be a positive number, got {threshold}");

    public Tensor Compute(LossInputs inputs)
    {
        using var scope = NewDisposeScope();
        var highlight = (inputs.Target.amax([1], keepdim: true) >= Scalars.Of(Threshold)).to(inputs.Target.dtype);
        var weight = inputs.PixelWeight is null ? highlight : highlight * inputs.PixelWeight;
        return WeightedL1.Mean(inputs.Prediction, inputs.Target, weight).MoveToOuterDisposeScope();
    }

    public void Dispose() { }
}
