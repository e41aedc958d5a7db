using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Photometric consistency of an aligned exposure with the reference, to catch alignment failures at inference.
/// The intensity mapping function (IMF) between two exposures of one scene follows from their histograms alone
/// (Grossberg &amp; Nayar, "What can be known about the radiometric response from images?", ECCV 2002): the
/// reference's q-th quantile maps to the other exposure's q-th quantile. It needs no pixel correspondences, holds
/// for any camera response (the JPEG curves that are not γ 2.2) and moving content barely shifts it. An aligned
/// pixel whose code lies far outside the IMF's range for the reference's code at that pixel shows other content
/// than the reference: the player's face in the reference, the window behind him in the misaligned long exposure.
/// </summary>
/// <remarks>
/// Built once per reference: its sorted subsample, the ranks of each code level's bin and every pixel's level are
/// shared by all the exposures checked against it. The tensors belong to the caller's dispose scope.
/// </remarks>
public sealed class ExposureConsistency
{
    /// <summary>Reference code levels of the mapping (8-bit; finer inputs are binned).</summary>
    public const int Levels = 256;

    /// <summary>Reference code levels either side that a level's range also admits (6/255 ≈ 0.024).</summary>
    public const int CodeUncertainty = 6;

    private readonly long batch, channels;
    private readonly long[] shape;
    private readonly Tensor first, last, pixelLevels;

    /// <param name="reference">Reference LDR codes in [0, 1], [B, C, H, W].</param>
    public ExposureConsistency(Tensor reference)
    {
        using var scope = NewDisposeScope();
        (batch, channels, shape) = (reference.shape[0], reference.shape[1], reference.shape);
        var sorted = Subsample(reference).sort(dim: 1).Values.contiguous();
        long n = sorted.shape[1];
        var edges = (arange(Levels + 1, dtype: reference.dtype, device: reference.device) - 0.5) / (Levels - 1);
        var ranks = searchsorted(sorted, edges.unsqueeze(0).expand(batch * channels, -1).contiguous());
        first = ranks[.., ..Levels].clamp(0, n - 1).MoveToOuterDisposeScope();
        last = maximum(ranks[.., 1..] - 1, ranks[.., ..Levels]).clamp(0, n - 1).MoveToOuterDisposeScope();
        pixelLevels = (reference * (Levels - 1)).round().clamp(0, Levels - 1).to(ScalarType.Int64).reshape(batch, channels, -1)
            .MoveToOuterDisposeScope();
    }

    // Histograms do not need every pixel: a 2×2 subsample sorts 4× faster and moves the quantiles by far less than
    // the ranges' own width.
    private Tensor Subsample(Tensor codes)
    {
        var every2 = TensorIndex.Slice(step: 2);
        return codes[.., .., every2, every2].reshape(batch * channels, -1);
    }

    /// <summary>
    /// For each batch item, channel and reference code level, the range of <paramref name="other"/>'s codes that
    /// quantile-matches the reference pixels in that level's bin: [B, C, <see cref="Levels"/>] low and high. A
    /// level filled by many reference pixels (saturation, black) gets a wide range, since any of those codes is
    /// consistent with it.
    /// </summary>
    /// <param name="other">The other exposure's LDR codes, the reference's shape (alignment does not matter).</param>
    public (Tensor Low, Tensor High) IntensityMapping(Tensor other)
    {
        using var scope = NewDisposeScope();
        var sortedOther = Subsample(other).sort(dim: 1).Values.contiguous();
        var low = sortedOther.gather(1, first).view(batch, channels, Levels);
        var high = sortedOther.gather(1, last).view(batch, channels, Levels);
        // A reference code is only known to within noise and quantisation, so each level's range also covers its
        // neighbours'. That matters where the mapping is steep: near the shoulder of a camera curve a few reference
        // codes span a wide range of the other exposure's codes.
        low = -F.max_pool1d(-low, CodeUncertainty * 2 + 1, 1, CodeUncertainty);
        high = F.max_pool1d(high, CodeUncertainty * 2 + 1, 1, CodeUncertainty);
        return (low.MoveToOuterDisposeScope(), high.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// How far each pixel of <paramref name="aligned"/> lies outside the mapping's range for the reference's code
    /// there, in code units, the largest over channels: [B, 1, H, W].
    /// </summary>
    public Tensor Discrepancy(Tensor aligned, (Tensor Low, Tensor High) mapping)
    {
        using var scope = NewDisposeScope();
        var low = mapping.Low.gather(2, pixelLevels).view(shape);
        var high = mapping.High.gather(2, pixelLevels).view(shape);
        var outside = maximum((low - aligned).clamp_min(0), (aligned - high).clamp_min(0));
        return outside.amax([1], keepdim: true).MoveToOuterDisposeScope();
    }

    /// <summary>The <see cref="Gate(Tensor, double, int)"/> of <paramref name="aligned"/>, the aligned <paramref name="other"/>.</summary>
    public Tensor Gate(Tensor other, Tensor aligned, double tolerance, int radius) =>
        Gate(Discrepancy(aligned, IntensityMapping(other)), tolerance, radius);

    /// <summary>
    /// 1 where the <paramref name="discrepancy"/> averaged over (2·<paramref name="radius"/> + 1)² pixels is within
    /// <paramref name="tolerance"/>, falling to 0 at twice it; the rejected area is then grown and feathered by
    /// the same radius. Averaging first is what tells the two apart: a misaligned subject is off over most of a
    /// window, while the thin lines that sub-pixel misregistration and blur leave along every high-contrast edge
    /// (a lamp's rim) are not, so the lamp keeps its short exposure.
    /// </summary>
    public static Tensor Gate(Tensor discrepancy, double tolerance, int radius)
    {
        using var scope = NewDisposeScope();
        var local = BoxMean(discrepancy, radius);
        var rejected = ((local - tolerance) / tolerance).clamp(0, 1);
        rejected = BoxMax(rejected, radius);
        rejected = BoxMean(rejected, radius);
        return (1 - rejected).MoveToOuterDisposeScope();
    }

    // Box filters as a row pass then a column pass: the same result as the square window (border windows are
    // rectangles either way), at 2k instead of k² operations per pixel.
    private static Tensor BoxMean(Tensor x, int radius) =>
        F.avg_pool2d(F.avg_pool2d(x, [1, 2 * radius + 1], [1, 1], [0, radius], count_include_pad: false),
            [2 * radius + 1, 1], [1, 1], [radius, 0], count_include_pad: false);

    private static Tensor BoxMax(Tensor x, int radius) =>
        F.max_pool2d(F.max_pool2d(x, [1, 2 * radius + 1], [1, 1], [0, radius]), [2 * radius + 1, 1], [1, 1], [radius, 0]);
}
