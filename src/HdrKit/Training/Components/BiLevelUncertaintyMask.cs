using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>How uncertainty maps are brought to [0, 1] before the τ thresholds apply.</summary>
public enum UncertaintyNormalisation
{
    /// <summary>
    /// (σ − q_low) / (q_high − q_low), clamped to [0, 1], with the quantiles taken over all maps of a set (the
    /// epoch's unlabelled scenes) and outside a border: one scale for every scene, which a few extreme pixels
    /// cannot set.
    /// </summary>
    GlobalQuantile,

    /// <summary>Each image by its own minimum and maximum (outside the border): the first implementation's rule.</summary>
    ImageMinMax,
}

/// <summary>
/// Patch size, thresholds and normalisation of the bi-level mask. τ, patch size: the paper's values. The
/// quantiles and the border are this implementation's (docs/methods.md §Semi-supervised says why).
/// </summary>
public sealed record BiLevelMaskOptions(int PatchSize = 64, double PatchThreshold = 0.4, double PixelThreshold = 0.4,
    UncertaintyNormalisation Normalisation = UncertaintyNormalisation.GlobalQuantile, double LowQuantile = 0.01, double HighQuantile = 0.99,
    int Border = 4)
{
    public void Check()
    {
        if (PatchSize < 1) throw new ArgumentException($"patch size must be ≥ 1, got {PatchSize}");
        if (Border < 0) throw new ArgumentException($"mask border must be ≥ 0, got {Border}");
        if (!(LowQuantile >= 0 && LowQuantile < HighQuantile && HighQuantile <= 1))
            throw new ArgumentException($"mask quantiles must satisfy 0 ≤ low < high ≤ 1, got {LowQuantile} and {HighQuantile}");
    }
}

/// <summary>The σ values that normalise to 0 and to 1.</summary>
public readonly record struct UncertaintyRange(double Low, double High);

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
/// The semi-supervised method's bi-level masking of pseudo labels (reference-notes §5). The uncertainty is
/// normalised to [0, 1] (<see cref="UncertaintyNormalisation"/>; a range of zero width normalises to 0: nothing
/// stands out, everything is kept). Patch level: a patch (a cell of the PatchSize grid from the top-left; edge
/// cells are partial and averaged over their own pixels) is dropped when its mean normalised uncertainty
/// exceeds τ_pa. Pixel level: inside kept patches, pixels whose normalised uncertainty exceeds τ_pi are
/// dropped. The border only leaves the statistics: border pixels are masked by the same rule as the rest.
/// </summary>
public static class BiLevelUncertaintyMask
{
    /// <summary>torch.quantile's input limit; larger sets are subsampled with an even stride.</summary>
    private const long MaxQuantileSamples = 1L << 24;

    /// <param name="uncertainty">[B, 1, H, W] non-negative uncertainty (e.g. the judge's σ).</param>
    /// <param name="range">
    /// For <see cref="UncertaintyNormalisation.GlobalQuantile"/>: the set's range (<see cref="Range"/>); null takes
    /// it from this batch alone. Ignored by <see cref="UncertaintyNormalisation.ImageMinMax"/>.
    /// </param>
    public static BiLevelMask Compute(Tensor uncertainty, BiLevelMaskOptions? options = null, UncertaintyRange? range = null)
    {
        var o = options ?? new BiLevelMaskOptions();
        o.Check();
        RequireMap(uncertainty);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = uncertainty.shape[0], h = uncertainty.shape[2], w = uncertainty.shape[3];
        var u = uncertainty.detach().to(ScalarType.Float32);
        Tensor low, width;
        if (o.Normalisation == UncertaintyNormalisation.ImageMinMax)
        {
            var inner = Interior(u, o.Border).reshape(b, -1);
            low = inner.amin([1]).view(b, 1, 1, 1);
            width = inner.amax([1]).view(b, 1, 1, 1) - low;
        }
        else
        {
            var r = range ?? Range([u], o);
            low = tensor((float)r.Low);
            width = tensor((float)(r.High - r.Low));
        }
        var normalised = where(width > Scalars.Of(0), ((u - low) / width.clamp_min(Scalars.Of(float.Epsilon))).clamp(Scalars.Of(0), Scalars.Of(1)), zeros_like(u));

        var patchMeans = nn.functional.avg_pool2d(normalised, o.PatchSize, o.PatchSize, ceil_mode: true);
        var patchKeep = (patchMeans <= Scalars.Of(o.PatchThreshold)).to(ScalarType.Float32)
            .repeat_interleave(o.PatchSize, 2).repeat_interleave(o.PatchSize, 3)
            .narrow(2, 0, h).narrow(3, 0, w).contiguous();
        var pixelKeep = (normalised <= Scalars.Of(o.PixelThreshold)).to(ScalarType.Float32);
        var keep = patchKeep * pixelKeep;
        return new BiLevelMask(normalised.MoveToOuterDisposeScope(), patchKeep.MoveToOuterDisposeScope(),
            pixelKeep.MoveToOuterDisposeScope(), keep.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The low and high quantile of σ over every map (each [B, 1, H, W], sizes may differ), border excluded: the
    /// global scale of <see cref="UncertaintyNormalisation.GlobalQuantile"/>, one per pseudo-label refresh.
    /// </summary>
    public static UncertaintyRange Range(IEnumerable<Tensor> maps, BiLevelMaskOptions? options = null)
    {
        var o = options ?? new BiLevelMaskOptions();
        o.Check();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = maps.Select(m =>
        {
            RequireMap(m);
            return Interior(m.detach().to(ScalarType.Float32).cpu(), o.Border).reshape(-1);
        }).ToArray();
        if (values.Length == 0) throw new ArgumentException("the uncertainty range needs at least one map");
        var all = cat(values, 0);
        if (all.shape[0] > MaxQuantileSamples)
            all = all[TensorIndex.Slice(null, null, (all.shape[0] + MaxQuantileSamples - 1) / MaxQuantileSamples)];
        var q = quantile(all, tensor(new[] { o.LowQuantile, o.HighQuantile }, ScalarType.Float32));
        return new UncertaintyRange(q[0].item<float>(), q[1].item<float>());
    }

    /// <summary>The map without <paramref name="border"/> pixels on each side; the whole map when that would leave nothing.</summary>
    private static Tensor Interior(Tensor u, int border)
    {
        long h = u.shape[2], w = u.shape[3];
        if (border == 0 || h <= 2 * border || w <= 2 * border) return u;
        return u.narrow(2, border, h - 2 * border).narrow(3, border, w - 2 * border);
    }

    private static void RequireMap(Tensor u)
    {
        if (u.dim() != 4 || u.shape[1] != 1)
            throw new ArgumentException($"uncertainty must be [B,1,H,W], got [{string.Join(",", u.shape)}]");
    }
}
