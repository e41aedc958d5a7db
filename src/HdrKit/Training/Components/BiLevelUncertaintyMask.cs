using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>Patch size and thresholds of the bi-level mask; the paper's values by default.</summary>
public sealed record BiLevelMaskOptions(int PatchSize = 64, double PatchThreshold = 0.4, double PixelThreshold = 0.4);

/// <summary>
/// Result of <see cref="BiLevelUncertaintyMask.Compute"/>, all [B, 1, H, W] float (1 = kept): the
/// normalised uncertainty, the patch-level and pixel-level keep-masks and their product, the area a pseudo
/// label is trusted in.
/// </summary>
public sealed record BiLevelMask(Tensor Normalised, Tensor PatchKeep, Tensor PixelKeep, Tensor Keep) : IDisposable
{
    public void Dispose() { Normalised.Dispose(); PatchKeep.Dispose(); PixelKeep.Dispose(); Keep.Dispose(); }
}

/// <summary>
/// The semi-supervised method's bi-level masking of pseudo labels (reference-notes §5). The uncertainty map
/// of each image is normalised to [0, 1] by its own minimum and maximum (an image of constant uncertainty
/// normalises to 0: nothing stands out, everything is kept). Patch level: a patch (a cell of the
/// PatchSize grid from the top-left; edge cells are partial and averaged over their own pixels) is dropped
/// when its mean normalised uncertainty exceeds τ_pa. Pixel level: inside kept patches, pixels whose
/// normalised uncertainty exceeds τ_pi are dropped.
/// </summary>
public static class BiLevelUncertaintyMask
{
    /// <param name="uncertainty">[B, 1, H, W] non-negative uncertainty (e.g. the judge's σ).</param>
    public static BiLevelMask Compute(Tensor uncertainty, BiLevelMaskOptions? options = null)
    {
        var o = options ?? new BiLevelMaskOptions();
        if (uncertainty.dim() != 4 || uncertainty.shape[1] != 1)
            throw new ArgumentException($"uncertainty must be [B,1,H,W], got [{string.Join(",", uncertainty.shape)}]");
        if (o.PatchSize < 1) throw new ArgumentException($"patch size must be ≥ 1, got {o.PatchSize}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = uncertainty.shape[0], h = uncertainty.shape[2], w = uncertainty.shape[3];
        var u = uncertainty.detach().to(ScalarType.Float32);
        var flat = u.reshape(b, -1);
        var low = flat.amin([1]).view(b, 1, 1, 1);
        var range = flat.amax([1]).view(b, 1, 1, 1) - low;
        var normalised = where(range > 0, (u - low) / range.clamp_min(float.Epsilon), zeros_like(u));

        var patchMeans = nn.functional.avg_pool2d(normalised, o.PatchSize, o.PatchSize, ceil_mode: true);
        var patchKeep = (patchMeans <= o.PatchThreshold).to(ScalarType.Float32)
            .repeat_interleave(o.PatchSize, 2).repeat_interleave(o.PatchSize, 3)
            .narrow(2, 0, h).narrow(3, 0, w).contiguous();
        var pixelKeep = (normalised <= o.PixelThreshold).to(ScalarType.Float32);
        var keep = patchKeep * pixelKeep;
        return new BiLevelMask(normalised.MoveToOuterDisposeScope(), patchKeep.MoveToOuterDisposeScope(),
            pixelKeep.MoveToOuterDisposeScope(), keep.MoveToOuterDisposeScope());
    }
}
