using HdrKit.Exposure;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// The semi-supervised method's uncertainty loss L^k (reference-notes §5): the prediction h̄ is a Gaussian
/// with per-pixel variance σ², the target h a Dirac, so the negative log-likelihood is
/// mean[(h̄ − h)² / (2σ²) + ½ log σ²]. The judge predicts s = log σ² (finite for any output, unlike σ
/// itself). (h̄ − h)² is the squared μ-law difference averaged over the three channels, the domain the
/// reconstruction loss compares in. An optional weight (the kept area of a pseudo label) restricts the
/// mean, normalised by the weight's mass like <see cref="WeightedL1"/>.
/// </summary>
public static class UncertaintyLoss
{
    /// <param name="prediction">[B, 3, H, W] linear HDR (h̄).</param>
    /// <param name="target">Same shape (h: ground truth or pseudo label).</param>
    /// <param name="logVariance">[B, 1, H, W] log σ².</param>
    /// <param name="weight">Null, or [B, 1, H, W] non-negative.</param>
    public static Tensor Compute(Tensor prediction, Tensor target, Tensor logVariance, Tensor? weight = null, float mu = MuLaw.Mu)
    {
        if (!prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"prediction [{string.Join(",", prediction.shape)}] and target [{string.Join(",", target.shape)}] differ");
        if (logVariance.dim() != 4 || logVariance.shape[1] != 1 || logVariance.shape[0] != prediction.shape[0]
            || logVariance.shape[2] != prediction.shape[2] || logVariance.shape[3] != prediction.shape[3])
            throw new ArgumentException($"log variance must be [B,1,H,W] matching [{string.Join(",", prediction.shape)}], got [{string.Join(",", logVariance.shape)}]");
        using var scope = NewDisposeScope();
        var squared = (MuLaw.Apply(prediction, mu) - MuLaw.Apply(target, mu)).square().mean([1], keepdim: true);
        var nll = Scalars.Of(0.5) * exp(-logVariance) * squared + Scalars.Of(0.5) * logVariance;
        if (weight is null) return nll.mean().MoveToOuterDisposeScope();
        WeightedL1.CheckWeight(weight, nll);
        return WeightedL1.WeightedMean(nll, weight).MoveToOuterDisposeScope();
    }
}
