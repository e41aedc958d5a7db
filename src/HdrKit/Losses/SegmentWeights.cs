using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// Spreads per-segment weights over pixels, so segment-weighted objectives (SMHDR's weights recomputed from
/// per-segment PSNR-μ) reuse the per-pixel-weight path of every loss term.
/// </summary>
public static class SegmentWeights
{
    /// <param name="segments">[B, 1, H, W] integer segment ids in 0..S-1.</param>
    /// <param name="weights">[B, S] weight of each segment.</param>
    /// <returns>[B, 1, H, W] float weights.</returns>
    public static Tensor ToPixelWeights(Tensor segments, Tensor weights)
    {
        if (segments.dim() != 4 || segments.shape[1] != 1)
            throw new ArgumentException($"segments must be [B,1,H,W], got [{string.Join(",", segments.shape)}]");
        if (weights.dim() != 2 || weights.shape[0] != segments.shape[0])
            throw new ArgumentException($"segment weights must be [B,S] with B={segments.shape[0]}, got [{string.Join(",", weights.shape)}]");
        using var scope = torch.NewDisposeScope();
        var ids = segments.to(ScalarType.Int64);
        long s = weights.shape[1];
        if (ids.numel() > 0 && (ids.min().item<long>() < 0 || ids.max().item<long>() >= s))
            throw new ArgumentException($"segment ids must lie in 0..{s - 1}");
        var flat = ids.flatten(1);                           // [B, H*W]
        var picked = weights.gather(1, flat);                // [B, H*W]
        return picked.reshape(segments.shape).to(weights.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>SMHDR's loss-weight temperature: softmax(−0.1·PSNR-μ) puts weight on badly reconstructed segments.</summary>
    public const double LossScale = -0.1;
    /// <summary>SMHDR's masking temperature: softmax(0.05·PSNR-μ) masks well-reconstructed segments more.</summary>
    public const double MaskScale = 0.05;

    /// <summary>
    /// softmax over the segments present (count > 0) of scale·score, times the number present: mean 1 over
    /// present segments, 0 for absent ones. <paramref name="scores"/> and <paramref name="counts"/> are [B, S].
    /// </summary>
    public static Tensor SoftmaxOverSegments(Tensor scores, Tensor counts, double scale)
    {
        if (scores.dim() != 2 || !scores.shape.SequenceEqual(counts.shape))
            throw new ArgumentException($"scores and counts must both be [B,S], got [{string.Join(",", scores.shape)}] and [{string.Join(",", counts.shape)}]");
        using var scope = torch.NewDisposeScope();
        var present = counts > Scalars.Of(0);
        var logits = (scores.to(ScalarType.Float64) * Scalars.Of(scale)).masked_fill(present.logical_not(), Scalars.Of(double.NegativeInfinity));
        // An image with no segment at all would softmax to NaN: its weights are 0 instead.
        var soft = torch.where(present.any(1, keepdim: true), logits.softmax(1), torch.zeros_like(logits));
        var n = present.sum(1, keepdim: true, type: ScalarType.Float64);
        return (soft * n).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>SMHDR loss weights per segment: softmax_seg(−0.1·PSNR-μ_seg)·N_seg.</summary>
    public static Tensor LossWeights(SegmentPsnr stats) => SoftmaxOverSegments(stats.PsnrMu, stats.Counts, LossScale);

    /// <summary>SMHDR masking ratios per segment: r·softmax_seg(0.05·PSNR-μ_seg)·N_seg (clipped to 1 by the masker).</summary>
    public static Tensor MaskRatios(SegmentPsnr stats, double ratio)
    {
        using var weights = SoftmaxOverSegments(stats.PsnrMu, stats.Counts, MaskScale);
        using var r = ratio.ToScalar();
        return weights * r;
    }

    /// <summary>Multiplies two optional weights (e.g. a validity mask and segment weights); null means all ones.</summary>
    public static Tensor? Combine(Tensor? a, Tensor? b) => a is null ? b : b is null ? a : a * b;
}
