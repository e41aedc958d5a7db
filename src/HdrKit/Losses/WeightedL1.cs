using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// Mean absolute difference under a per-pixel weight, normalised by the weight's mass rather than the pixel
/// count, so masking out half the image does not halve the loss (and its effective learning rate).
/// </summary>
public static class WeightedL1
{
    /// <summary>Keeps the all-masked case finite: the loss is then exactly 0 with zero gradient.</summary>
    private const double MinMass = 1e-8;

    /// <param name="a">Any [B, C, H, W] tensor.</param>
    /// <param name="b">Same shape as <paramref name="a"/>.</param>
    /// <param name="weight">Null, or [B, 1, H, W] / [B, C, H, W], broadcast over channels.</param>
    public static Tensor Mean(Tensor a, Tensor b, Tensor? weight)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"L1 needs equal shapes, got [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}]");
        using var scope = torch.NewDisposeScope();
        var diff = (a - b).abs();
        if (weight is null) return diff.mean().MoveToOuterDisposeScope();
        CheckWeight(weight, a);
        return WeightedMean(diff, weight).MoveToOuterDisposeScope();
    }

    /// <summary>Mean of <paramref name="values"/> under <paramref name="weight"/> (broadcast over channels), normalised by the weight's mass.</summary>
    internal static Tensor WeightedMean(Tensor values, Tensor weight)
    {
        using var scope = torch.NewDisposeScope();
        var w = weight.expand_as(values);
        return ((values * w).sum() / w.sum().clamp_min(Scalars.Of(MinMass))).MoveToOuterDisposeScope();
    }

    internal static void CheckWeight(Tensor weight, Tensor like)
    {
        bool ok = weight.dim() == like.dim() && weight.shape[0] == like.shape[0]
            && (weight.shape[1] == 1 || weight.shape[1] == like.shape[1])
            && weight.shape[2] == like.shape[2] && weight.shape[3] == like.shape[3];
        if (!ok)
            throw new ArgumentException($"pixel weight [{string.Join(",", weight.shape)}] does not fit [{string.Join(",", like.shape)}]; expected [B,1,H,W] or [B,C,H,W]");
    }
}
