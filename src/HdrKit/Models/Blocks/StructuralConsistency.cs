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

    private readonly Tensor luminance, mean, centredEnergy, noiseEnergy, unclipped;

    /// <param name="reference">Reference LDR codes in [0, 1], [B, C, H, W].</param>
    public StructuralConsistency(Tensor reference)
    {
        using var scope = NewDisposeScope();
        luminance = reference.mean([1], keepdim: true).MoveToOuterDisposeScope();
        mean = BoxFilter.Mean(luminance, Radius).MoveToOuterDisposeScope();
        centredEnergy = (BoxFilter.Mean(luminance * luminance, Radius) - mean * mean).clamp_min(Scalars.Of(0)).MoveToOuterDisposeScope();
        noiseEnergy = NoiseEnergy(luminance).MoveToOuterDisposeScope();
        var brightest = reference.amax([1], keepdim: true);
        var clipped = (brightest >= Scalars.Of(WhiteLevel)) | (brightest <= Scalars.Of(BlackLevel));
        unclipped = (Scalars.Of(1) - BoxFilter.Max(clipped.to(reference.dtype), Radius)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The regularised correlation of <paramref name="aligned"/> with the reference, [B, 1, H, W]: 1 where both
    /// windows are flat (up to their noise) or the reference is clipped, near 1 where their structure agrees up to an affine change of
    /// codes, near 0 (or below) where it does not.
    /// </summary>
    /// <param name="aligned">The aligned exposure's LDR codes, the reference's shape.</param>
    public Tensor Agreement(Tensor aligned)
    {
        using var scope = NewDisposeScope();
        var other = aligned.mean([1], keepdim: true);
        var otherMean = BoxFilter.Mean(other, Radius);
        var gain = (mean + Scalars.Of(MeanFloor)) / (otherMean + Scalars.Of(MeanFloor));
        var otherEnergy = (BoxFilter.Mean(other * other, Radius) - otherMean * otherMean).clamp_min(Scalars.Of(0)) * gain * gain;
        var covariance = (BoxFilter.Mean(luminance * other, Radius) - mean * otherMean) * gain;
        double floor = FlatContrast * FlatContrast;
        var referenceFloor = Scalars.Of(floor) + Scalars.Of(NoiseMultiple) * noiseEnergy;
        var otherFloor = Scalars.Of(floor) + Scalars.Of(NoiseMultiple) * NoiseEnergy(other) * gain * gain;
        var correlation = (covariance + (referenceFloor * otherFloor).sqrt()) / ((centredEnergy + referenceFloor) * (otherEnergy + otherFloor)).sqrt();
        return (unclipped * correlation + (Scalars.Of(1) - unclipped)).MoveToOuterDisposeScope();
    }

    // Pixel noise is white, the structure that tells content apart is not: the residual from a 3×3 mean holds 8/9
    // of the noise variance and little of a feature a few pixels wide. Averaged over the statistics window.
    private static Tensor NoiseEnergy(Tensor x)
    {
        var residual = x - BoxFilter.Mean(x, 1);
        return BoxFilter.Mean(residual * residual, Radius) * Scalars.Of(9.0 / 8);
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
