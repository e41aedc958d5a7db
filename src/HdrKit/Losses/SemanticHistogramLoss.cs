using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// The semantic-guided histogram loss L_color of the knowledge-transfer paper (§3.3, Eqs. 9–10): for each
/// segment mask p_m^i, Hist = 1/C Σ_c Σ_bins (H^S − H^T)² between the student's (ORM, T(H_in)) and the
/// teacher's (SPGRM, Ĥ_s) KDE histograms, averaged over the segments. Per-segment histograms compare colour
/// per object instead of globally, where HDR brightness differs most between regions.
/// Histograms are densities (each segment's sums to 1), so the loss does not grow with segment area and the
/// paper's weight (100) does not depend on the patch size. Empty masks (padding to a common K) are skipped.
/// The teacher is a target: it is detached unless <see cref="DetachTeacher"/> is off.
/// </summary>
public sealed class SemanticHistogramLoss(KdeHistogramOptions? options = null)
{
    public KdeHistogramOptions Options { get; } = options ?? new KdeHistogramOptions();

    public bool DetachTeacher { get; init; } = true;

    public string Name => "color";

    /// <param name="student">[B, C, H, W], μ-law.</param>
    /// <param name="teacher">[B, C, H, W], μ-law.</param>
    /// <param name="masks">[B, K, H, W] segment masks (<see cref="Semantic.SemanticPriors.SegmentMasks"/>, stacked).</param>
    public Tensor Compute(Tensor student, Tensor teacher, Tensor masks)
    {
        if (!student.shape.SequenceEqual(teacher.shape))
            throw new ArgumentException($"student [{string.Join(",", student.shape)}] and teacher [{string.Join(",", teacher.shape)}] differ in shape");
        using var scope = torch.NewDisposeScope();
        var hs = KdeHistogram.Compute(student, masks, Options);
        Tensor ht;
        if (DetachTeacher)
            using (torch.no_grad()) ht = KdeHistogram.Compute(teacher, masks, Options);
        else ht = KdeHistogram.Compute(teacher, masks, Options);
        var perSegment = (hs - ht).square().sum(-1).mean([-1]);                  // [B, K]: 1/C Σ_c Σ_i
        var present = KdeHistogram.Mass(masks).gt(Scalars.Of(0)).to(perSegment.dtype);      // [B, K]
        // Mean over each image's non-empty segments, then over the batch.
        var perImage = (perSegment * present).sum(-1) / present.sum(-1).clamp_min(Scalars.Of(1));
        return perImage.mean().MoveToOuterDisposeScope();
    }
}
