using HdrKit.Exposure;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>Per-segment PSNR-μ [B, S] (float64) and pixel counts [B, S] (int64); absent segments have count 0 and PSNR 0.</summary>
public sealed record SegmentPsnr(Tensor PsnrMu, Tensor Counts) : IDisposable
{
    public void Dispose() { PsnrMu.Dispose(); Counts.Dispose(); }
}

/// <summary>
/// How well each segment of a full-scene prediction is reconstructed: PSNR-μ over the segment's pixels, the
/// statistic SMHDR turns into loss weights and masking ratios (<see cref="SegmentWeights"/>). Values are
/// clipped to [0, 1] and μ-law tonemapped as in evaluation; the MSE is over the segment's pixels and the
/// three channels, floored so that a perfect segment stays finite.
/// </summary>
public static class SegmentReconstructionStats
{
    /// <summary>MSE floor: 100 dB.</summary>
    private const double MinMse = 1e-10;

    /// <param name="prediction">[B, 3, H, W] linear HDR.</param>
    /// <param name="groundTruth">Same shape.</param>
    /// <param name="segments">[B, 1, H, W] or [B, H, W] integer ids in 0..<paramref name="segmentCount"/>-1.</param>
    public static SegmentPsnr PsnrMu(Tensor prediction, Tensor groundTruth, Tensor segments, int segmentCount)
    {
        if (prediction.dim() != 4 || !prediction.shape.SequenceEqual(groundTruth.shape))
            throw new ArgumentException($"prediction and ground truth must be equal [B,C,H,W], got [{string.Join(",", prediction.shape)}] and [{string.Join(",", groundTruth.shape)}]");
        using var scope = NewDisposeScope();
        long b = prediction.shape[0];
        var ids = (segments.dim() == 3 ? segments : segments.squeeze(1)).to(ScalarType.Int64).reshape(b, -1);
        if (ids.shape[1] != prediction.shape[2] * prediction.shape[3])
            throw new ArgumentException($"segments [{string.Join(",", segments.shape)}] do not cover the prediction [{string.Join(",", prediction.shape)}]");
        if (ids.min().item<long>() < 0 || ids.max().item<long>() >= segmentCount)
            throw new ArgumentException($"segment ids must lie in 0..{segmentCount - 1}");
        using var noGrad = no_grad();
        Tensor Tone(Tensor x) => MuLaw.Apply(x.detach().to(ScalarType.Float64).clamp(Scalars.Of(0), Scalars.Of(1)));
        var error = (Tone(prediction) - Tone(groundTruth)).square().mean([1]).reshape(b, -1);
        var sums = zeros(b, segmentCount, dtype: ScalarType.Float64).scatter_add(1, ids, error);
        var counts = zeros(b, segmentCount, dtype: ScalarType.Int64).scatter_add(1, ids, ones_like(ids));
        var present = counts > Scalars.Of(0);
        var mse = (sums / counts.clamp_min(Scalars.Of(1)).to(ScalarType.Float64)).clamp_min(Scalars.Of(MinMse));
        var psnr = where(present, Scalars.Of(-10.0) * log10(mse), zeros_like(mse));
        return new SegmentPsnr(psnr.MoveToOuterDisposeScope(), counts.MoveToOuterDisposeScope());
    }
}
