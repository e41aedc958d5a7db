using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// Differentiable per-region, per-channel colour histograms by Gaussian kernel density estimation (the
/// knowledge-transfer paper's Eqs. 6–8). Each pixel's kernel values are normalised over the bins (a softmax of
/// −(x − c)²/bandwidth²), which Eq. 8 leaves out: then every pixel adds exactly its mask weight, a region's
/// histogram sums to its mask mass, values outside [min, max] land in the edge bins instead of vanishing, and
/// the histogram tends to the hard one as the bandwidth shrinks.
/// Regions are mask-weighted rather than the paper's masked images p_m ⊙ x: for binary masks the masked-out
/// pixels of p_m ⊙ x all sit at 0 in both histograms and cancel in Eq. 9's difference, so the losses agree.
/// </summary>
public static class KdeHistogram
{
    private const double MinMass = 1e-8;

    /// <summary>Bin centres [N] (Eq. 6).</summary>
    public static Tensor Centers(KdeHistogramOptions options, Device? device = null)
    {
        options.Validate();
        double step = (options.Max - options.Min) / (double)options.Bins;
        return (torch.arange(Scalars.Of(options.Bins), ScalarType.Float32, device) + Scalars.Of(0.5)) * Scalars.Of(step) + Scalars.Of(options.Min);
    }

    /// <param name="values">[B, C, H, W] (e.g. μ-law images).</param>
    /// <param name="masks">[B, K, H, W] non-negative region weights (one-hot segment masks, soft masks).</param>
    /// <param name="density">Divide by each region's mask mass, so non-empty regions' histograms sum to 1.</param>
    /// <returns>[B, K, C, N].</returns>
    public static Tensor Compute(Tensor values, Tensor masks, KdeHistogramOptions options, bool density = true)
    {
        if (values.dim() != 4) throw new ArgumentException($"values must be [B,C,H,W], got [{string.Join(",", values.shape)}]");
        if (masks.dim() != 4 || masks.shape[0] != values.shape[0] || masks.shape[2] != values.shape[2] || masks.shape[3] != values.shape[3])
            throw new ArgumentException($"masks [{string.Join(",", masks.shape)}] must be [B,K,H,W] over values [{string.Join(",", values.shape)}]");
        using var scope = torch.NewDisposeScope();
        long b = values.shape[0], c = values.shape[1], k = masks.shape[1], n = options.Bins;
        long pixels = values.shape[2] * values.shape[3];
        var centers = Centers(options, values.device);
        var distance = values.reshape(b, c, pixels, 1) - centers;                                  // [B, C, P, N]
        var kernel = (-distance.square() / Scalars.Of((double)options.Bandwidth * options.Bandwidth)).softmax(-1);
        // Σ_pixels mask · kernel as one batched product: [B, K, P] × [B, P, C·N].
        var weights = masks.to(values.dtype).reshape(b, k, pixels);
        var hist = weights.bmm(kernel.permute(0, 2, 1, 3).reshape(b, pixels, c * n)).reshape(b, k, c, n);
        if (density) hist = hist / weights.sum(-1).clamp_min(Scalars.Of(MinMass)).reshape(b, k, 1, 1);
        return hist.MoveToOuterDisposeScope();
    }

    /// <summary>Each region's mask mass [B, K] (its pixel count for binary masks).</summary>
    public static Tensor Mass(Tensor masks) => masks.flatten(2).sum(-1);
}
