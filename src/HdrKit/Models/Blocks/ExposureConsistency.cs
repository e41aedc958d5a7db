using HdrKit.Util;
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
/// The mapping is image-wide: <see cref="EstimateMappings"/> builds it once from a sample of the whole frames
/// (<see cref="ImageStatistics.Sample"/>), so every tile of a tiled run checks against the same mapping. An instance
/// holds one tile's (or image's) reference: every pixel's level, shared by all the exposures checked against it. The
/// tensors belong to the caller's dispose scope.
/// </remarks>
public sealed class ExposureConsistency
{
    /// <summary>Reference code levels of the mapping (8-bit; finer inputs are binned).</summary>
    public const int Levels = 256;

    /// <summary>Reference code levels either side that a level's range also admits (6/255 ≈ 0.024).</summary>
    public const int CodeUncertainty = 6;

    /// <summary>
    /// A reference code at or above this (within <see cref="CodeUncertainty"/> of white) in every channel says only
    /// that the radiance is at least the reference's white level.
    /// </summary>
    public const double ReferenceWhite = (Levels - 1.0 - CodeUncertainty) / (Levels - 1);

    private readonly long batch;
    private readonly long[] shape;
    private readonly Tensor pixelLevels, referenceWhite;

    /// <param name="reference">Reference LDR codes in [0, 1], [B, C, H, W]: the image or one tile of it.</param>
    public ExposureConsistency(Tensor reference)
    {
        using var scope = NewDisposeScope();
        (batch, shape) = (reference.shape[0], reference.shape);
        pixelLevels = InPlace.Clamp(InPlace.Round(reference * Scalars.Of(Levels - 1)), Scalars.Of(0), Scalars.Of(Levels - 1)).to(ScalarType.Int64).reshape(batch, shape[1], -1)
            .MoveToOuterDisposeScope();
        referenceWhite = (reference >= Scalars.Of(ReferenceWhite)).all(1, keepdim: true).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mapping from <paramref name="reference"/>'s codes to each of <paramref name="others"/>' (same shape, any
    /// alignment: only histograms are used), from all their pixels, [B, C, h, w] each: the other exposure's codes
    /// that quantile-match the reference pixels in each level's bin. A level filled by many reference pixels
    /// (saturation, black) gets a wide range, since any of those codes is consistent with it.
    /// </summary>
    public static IntensityMapping[] EstimateMappings(Tensor reference, params Tensor[] others)
    {
        using var scope = NewDisposeScope();
        long b = reference.shape[0], c = reference.shape[1];
        var sorted = SortedRows.Of(reference.reshape(b * c, -1));
        long n = reference.shape[2] * reference.shape[3];
        using var lastRank = (n - 1).ToScalar();
        var edges = (arange(Scalars.Of(Levels + 1), dtype: reference.dtype, device: reference.device) - Scalars.Of(0.5)) / Scalars.Of(Levels - 1);
        var ranks = sorted.CountBelow(edges.unsqueeze(0).expand(b * c, -1).contiguous());
        var first = ranks[.., ..Levels].clamp(Scalars.Of(0), lastRank);
        var last = maximum(ranks[.., 1..] - Scalars.Of(1), ranks[.., ..Levels]).clamp(Scalars.Of(0), lastRank);
        return others.Select(other =>
        {
            var sortedOther = SortedRows.Of(other.reshape(b * c, -1));
            var low = sortedOther.AtRanks(first).view(b, c, Levels);
            var high = sortedOther.AtRanks(last).view(b, c, Levels);
            // A reference code is only known to within noise and quantisation, so each level's range also covers its
            // neighbours'. That matters where the mapping is steep: near the shoulder of a camera curve a few reference
            // codes span a wide range of the other exposure's codes.
            low = -F.max_pool1d(-low, CodeUncertainty * 2 + 1, 1, CodeUncertainty);
            high = F.max_pool1d(high, CodeUncertainty * 2 + 1, 1, CodeUncertainty);
            return new IntensityMapping(low, high).MoveToOuterDisposeScope();
        }).ToArray();
    }

    /// <summary>
    /// How far each pixel of <paramref name="aligned"/> lies outside the mapping's range for the reference's code
    /// there, in code units, the largest over channels: [B, 1, H, W].
    /// </summary>
    public Tensor Discrepancy(Tensor aligned, IntensityMapping mapping)
    {
        using var scope = NewDisposeScope();
        return Compare(aligned, mapping).Outside.MoveToOuterDisposeScope();
    }

    // Largest over channels of how far the aligned codes lie outside the range either way, and below its low end. The
    // range is never inverted (low and high come from ranks first ≤ last, widened outward), so per channel at most one
    // side is non-zero and their sum is the distance: computed in place, two full-size maps rather than six, since a
    // whole image's gates are the peak of a merge's heap.
    private (Tensor Outside, Tensor Below) Compare(Tensor aligned, IntensityMapping mapping)
    {
        mapping = mapping.ForBatch(batch);
        var below = InPlace.ClampMin(InPlace.Sub(mapping.Low.gather(2, pixelLevels).view(shape), aligned), Scalars.Of(0));
        var outside = InPlace.Add(InPlace.ClampMin(InPlace.SubtractFrom(mapping.High.gather(2, pixelLevels).view(shape), aligned), Scalars.Of(0)), below);
        return (outside.amax([1], keepdim: true), below.amax([1], keepdim: true));
    }

    /// <summary>
    /// The gate of <paramref name="aligned"/>, the aligned other exposure (<see cref="Gate(Tensor, double, int)"/> of
    /// its discrepancy), held open by construction where the reference is white and the aligned exposure is at least
    /// as bright as the mapping puts the reference's white level: there the reference only says "at least this
    /// bright", which that exposure confirms, whatever the motion. It need not be unclipped: a shorter exposure
    /// clipped there still bounds the radiance higher than the reference's white does (by the exposure ratio), and
    /// under a white reference SAFNet's merge gives a longer exposure no weight. Without that, a rejection next door
    /// (the mover's misaligned edge over the reference's background) grows over the clipped mover and leaves a
    /// plateau at the reference's white level (docs/default-model.md, set 2 scene 10).
    /// </summary>
    public Tensor Gate(Tensor aligned, IntensityMapping mapping, double tolerance, int radius)
    {
        using var scope = NewDisposeScope();
        return Check(aligned, mapping, tolerance, radius).Gate.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Gate(Tensor, IntensityMapping, double, int)"/> of <paramref name="aligned"/> together with where it
    /// confirms a white reference (1 inside, feathered inward over <paramref name="radius"/>, [B, 1, H, W]): there the
    /// reference's radiance is only a lower bound and the aligned exposure a higher one, so a merge should take the
    /// exposure whatever its selection. One comparison with the mapping gives both.
    /// </summary>
    public ExposureCheck Check(Tensor aligned, IntensityMapping mapping, double tolerance, int radius)
    {
        using var scope = NewDisposeScope();
        var (outside, below) = Compare(aligned, mapping);
        var held = (referenceWhite & (below <= Scalars.Of(tolerance))).to(below.dtype);
        // Feathered inward only: no hard edge where the exposure's radiance meets the reference's white plateau, and
        // nothing held open outside the area that qualifies.
        var confirmed = held * BoxFilter.Mean(held, radius);
        var gate = maximum(Gate(outside, tolerance, radius), confirmed);
        return new ExposureCheck(gate.MoveToOuterDisposeScope(), confirmed.MoveToOuterDisposeScope());
    }

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
        using var tolerated = tolerance.ToScalar();
        var rejected = InPlace.Clamp(InPlace.Div(InPlace.Sub(BoxFilter.Mean(discrepancy, radius), tolerated), tolerated), Scalars.Of(0), Scalars.Of(1));
        rejected = Kept.Replacing(rejected, r => BoxFilter.Max(r, radius));
        rejected = Kept.Replacing(rejected, r => BoxFilter.Mean(r, radius));
        return InPlace.SubtractFrom(rejected, Scalars.Of(1)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// <see cref="ExposureConsistency.Check"/>'s result for one aligned exposure, [B, 1, H, W] each: the gate on its
/// selection, and where it confirms that the white reference is brighter than white (the gate is open there too).
/// </summary>
public readonly record struct ExposureCheck(Tensor Gate, Tensor ConfirmedWhite);

/// <summary>
/// The rows of [R, n] values in sorted order, as the quantile queries of <see cref="ExposureConsistency.EstimateMappings"/>
/// need them. Camera frames hold 8- or 16-bit codes, each exactly code · (1 / max code) as <see cref="Imaging.CodeImage"/>
/// reads them: such rows are counted into a histogram instead of sorted (same answers, bit for bit, in a fraction of
/// the time of a comparison sort of a megapixel sample). Any other values are sorted.
/// </summary>
internal sealed class SortedRows
{
    private readonly Tensor? sorted, cumulative;
    private readonly int maxCode;

    private SortedRows(Tensor? sorted, Tensor? cumulative, int maxCode) => (this.sorted, this.cumulative, this.maxCode) = (sorted, cumulative, maxCode);

    public static SortedRows Of(Tensor rows)
    {
        // Only the counts (or the sorted rows) leave: the code maps are several times the rows' size in int64.
        using var scope = NewDisposeScope();
        foreach (int maxCode in new[] { 255, 65535 })
        {
            using var scale = (1f / maxCode).ToScalar();
            var codes = (rows * Scalars.Of(maxCode)).round();
            bool onGrid = codes.min().item<float>() >= 0 && codes.max().item<float>() <= maxCode && (codes * scale).eq(rows).all().item<bool>();
            if (!onGrid) continue;
            long r = rows.shape[0];
            using var rowCount = r.ToScalar();
            var offsets = arange(rowCount, ScalarType.Int64, rows.device).unsqueeze(1) * Scalars.Of(maxCode + 1);
            var counts = (codes.to(ScalarType.Int64) + offsets).flatten().bincount(null, r * (maxCode + 1)).view(r, maxCode + 1);
            return new SortedRows(null, counts.cumsum(1).MoveToOuterDisposeScope(), maxCode);
        }
        return new SortedRows(rows.sort(dim: 1).Values.contiguous().MoveToOuterDisposeScope(), null, 0);
    }

    /// <summary>Per row, how many values lie strictly below each of <paramref name="edges"/> ([R, E]; none on a code).</summary>
    public Tensor CountBelow(Tensor edges)
    {
        if (sorted is not null) return searchsorted(sorted, edges);
        // Codes below an edge are those up to ⌈edge · max⌉ − 1; the cumulative count there is the answer.
        var below = (edges * Scalars.Of(maxCode)).ceil().to(ScalarType.Int64) - Scalars.Of(1);
        var counts = cumulative!.gather(1, below.clamp(Scalars.Of(0), Scalars.Of(maxCode)));
        return where(below < Scalars.Of(0), zeros_like(counts), counts);
    }

    /// <summary>Per row, the values at the given 0-based <paramref name="ranks"/> ([R, L]) of the sorted row.</summary>
    public Tensor AtRanks(Tensor ranks)
    {
        if (sorted is not null) return sorted.gather(1, ranks);
        // The value at rank r is the first code whose cumulative count exceeds r.
        using var scale = (1f / maxCode).ToScalar();
        return searchsorted(cumulative!, ranks, right: true).to(ScalarType.Float32) * scale;
    }
}
