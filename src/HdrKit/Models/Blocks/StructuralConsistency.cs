using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Structural consistency of an aligned exposure with the reference, to catch alignment failures that the
/// photometric check (<see cref="ExposureConsistency"/>) cannot: a misaligned exposure that shows other content of
/// about the right brightness, such as the player's nose where the reference shows his cheek. In a small window,
/// the aligned exposure is mapped to the reference's brightness by the ratio of the local means (what a γ-type
/// response does to an exposure change) and compared with the reference by a normalised cross-correlation whose
/// variances are floored by <see cref="FlatContrast"/>² plus <see cref="NoiseMultiple"/> times each image's own
/// fine-scale noise. That floor is what makes the check say nothing where neither image has structure above its
/// noise (flat areas keep the noise reduction of the longer exposure), and reject where one has structure the
/// other lacks or both have structure that does not correlate. Any response is locally close
/// to affine, and a correlation is blind to the affine part, so the check needs no model of the camera.
/// </summary>
/// <remarks>
/// It says nothing where the reference is clipped in any channel (or black in all) within the window: there the
/// reference has no structure to compare and the other exposures hold the information. It is local: the
/// statistics window is (2·<see cref="Radius"/> + 1)² and the gate adds 3× its own radius, so tiles agree with
/// whole-image runs. Built once per reference; the tensors belong to the caller's dispose scope.
/// </remarks>
public sealed class StructuralConsistency
{
    /// <summary>Radius of the statistics window (7×7: a few features of a face at 1–2 Mpx, small against its motion).</summary>
    public const int Radius = 3;

    /// <summary>Local standard deviation, in reference code units, below which a noiseless window counts as flat (under one 8-bit code: the player's face is dark and its features are faint).</summary>
    public const double FlatContrast = 0.003;

    /// <summary>How many times its own fine-scale noise variance a window's variance must exceed to count as structure.</summary>
    public const double NoiseMultiple = 6;

    /// <summary>Reference codes at or above which a channel is clipped; at or below which (all channels) the pixel is black.</summary>
    public const double WhiteLevel = 0.98, BlackLevel = 0.02;

    // Keeps the brightness ratio finite where the other exposure is black.
    private const double MeanFloor = 1.0 / 255;

    // What depends on the reference alone, kept for every exposure checked against it: the floored variance and the
    // correlation's denominator term, and where the check speaks (unclipped) or not.
    private readonly Tensor luminance, mean, referenceFloor, referenceDenominator, unclipped, clippedWindow;

    /// <param name="reference">Reference LDR codes in [0, 1], [B, C, H, W].</param>
    public StructuralConsistency(Tensor reference)
    {
        using var scope = NewDisposeScope();
        luminance = reference.mean([1], keepdim: true).MoveToOuterDisposeScope();
        mean = BoxFilter.Mean(luminance, Radius).MoveToOuterDisposeScope();
        var centredEnergy = (BoxFilter.Mean(luminance * luminance, Radius) - mean * mean).clamp_min(Scalars.Of(0));
        referenceFloor = (Scalars.Of(FlatContrast * FlatContrast) + Scalars.Of(NoiseMultiple) * NoiseEnergy(luminance)).MoveToOuterDisposeScope();
        referenceDenominator = (centredEnergy + referenceFloor).MoveToOuterDisposeScope();
        var brightest = reference.amax([1], keepdim: true);
        var clipped = (brightest >= Scalars.Of(WhiteLevel)) | (brightest <= Scalars.Of(BlackLevel));
        unclipped = (Scalars.Of(1) - BoxFilter.Max(clipped.to(reference.dtype), Radius)).MoveToOuterDisposeScope();
        clippedWindow = (Scalars.Of(1) - unclipped).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The regularised correlation of <paramref name="aligned"/> with the reference, [B, 1, H, W]: 1 where both
    /// windows are flat (up to their noise) or the reference is clipped, near 1 where their structure agrees up to an affine change of
    /// codes, near 0 (or below) where it does not.
    /// </summary>
    /// <param name="aligned">The aligned exposure's LDR codes, the reference's shape.</param>
    public Tensor Agreement(Tensor aligned)
    {
        // In place wherever a map has no other reader, each temporary disposed once read: the same operations in the
        // same order as the formulas in the comments, on a few full-size maps at a time instead of twenty.
        using var scope = NewDisposeScope();
        var other = aligned.mean([1], keepdim: true);
        var otherMean = BoxFilter.Mean(other, Radius);
        // gain = (mean + floor) / (otherMean + floor)
        var gain = Kept.Replacing(otherMean + Scalars.Of(MeanFloor), shifted => InPlace.Div(mean + Scalars.Of(MeanFloor), shifted));
        // otherEnergy = max(box(other²) − otherMean², 0) · gain · gain
        var otherEnergy = Kept.Replacing(other * other, squares => BoxFilter.Mean(squares, Radius));
        using (var meanSquare = otherMean * otherMean)
            otherEnergy = InPlace.Mul(InPlace.Mul(InPlace.ClampMin(InPlace.Sub(otherEnergy, meanSquare), Scalars.Of(0)), gain), gain);
        // covariance = (box(luminance · other) − mean · otherMean) · gain
        var covariance = Kept.Replacing(luminance * other, products => BoxFilter.Mean(products, Radius));
        using (var meanProduct = mean * otherMean) covariance = InPlace.Mul(InPlace.Sub(covariance, meanProduct), gain);
        otherMean.Dispose();
        // otherFloor = flat² + multiple · noise(other) · gain · gain
        var otherFloor = InPlace.Add(InPlace.Mul(InPlace.Mul(InPlace.Mul(Kept.Replacing(other, NoiseEnergy), Scalars.Of(NoiseMultiple)), gain), gain), Scalars.Of(FlatContrast * FlatContrast));
        gain.Dispose();
        // correlation = (covariance + √(referenceFloor · otherFloor)) / √((centredEnergy + referenceFloor) · (otherEnergy + otherFloor))
        var correlation = InPlace.Add(InPlace.Sqrt(referenceFloor * otherFloor), covariance);
        covariance.Dispose();
        using (var denominator = InPlace.Sqrt(InPlace.Mul(InPlace.Add(otherEnergy, otherFloor), referenceDenominator))) correlation = InPlace.Div(correlation, denominator);
        otherFloor.Dispose();
        return InPlace.Add(InPlace.Mul(correlation, unclipped), clippedWindow).MoveToOuterDisposeScope();
    }

    // Pixel noise is white, the structure that tells content apart is not: the residual from a 3×3 mean holds 8/9
    // of the noise variance and little of a feature a few pixels wide. Averaged over the statistics window.
    private static Tensor NoiseEnergy(Tensor x)
    {
        using var scope = NewDisposeScope();
        var residual = InPlace.SubtractFrom(BoxFilter.Mean(x, 1), x);
        var squares = InPlace.Mul(residual, residual);
        return InPlace.Mul(Kept.Replacing(squares, r => BoxFilter.Mean(r, Radius)), Scalars.Of(9.0 / 8)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// 1 where <paramref name="aligned"/> agrees with the reference, falling to 0 where its disagreement
    /// (1 − <see cref="Agreement"/>) averaged over the gate's window exceeds <paramref name="tolerance"/> and reaches
    /// twice it; grown and feathered like the photometric gate (<see cref="ExposureConsistency.Gate(Tensor, double, int)"/>).
    /// </summary>
    public Tensor Gate(Tensor aligned, double tolerance, int radius)
    {
        using var scope = NewDisposeScope();
        return ExposureConsistency.Gate((Scalars.Of(1) - Agreement(aligned)).clamp_min(Scalars.Of(0)), tolerance, radius).MoveToOuterDisposeScope();
    }
}
