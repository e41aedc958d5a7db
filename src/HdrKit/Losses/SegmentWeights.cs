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

    /// <summary>Multiplies two optional weights (e.g. a validity mask and segment weights); null means all ones.</summary>
    public static Tensor? Combine(Tensor? a, Tensor? b) => a is null ? b : b is null ? a : a * b;
}
