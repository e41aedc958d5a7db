using HdrKit.Models.Auxiliary;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// L_feat^k of the knowledge-transfer paper (§3.4, Eq. 12): MSE between SKAM's enhanced feature F_E^k and
/// SPGRM's feature F_T^k, with a fresh random mask I^M per call. The teacher feature is detached (SPGRM is
/// trained by L_spg alone, §3.5); the gradient trains the ORM's feature and SKAM's encoders and decoder.
/// An optional pixel weight restricts the alignment (e.g. to valid pixels) and normalises by its mass, like
/// <see cref="WeightedL1"/>: an all-zero weight gives exactly 0.
/// </summary>
public sealed class SkamLoss(double teacherRatio = 0.5)
{
    private const double MinMass = 1e-8;

    /// <summary>Probability that a latent element comes from the teacher; the paper does not give it.</summary>
    public double TeacherRatio { get; } = teacherRatio is >= 0 and <= 1 ? teacherRatio
        : throw new ArgumentException($"mask ratio must lie in [0,1], got {teacherRatio}");

    public string Name => "feat";

    /// <summary>One alignment stage with a random mask drawn from <paramref name="generator"/>.</summary>
    public Tensor Compute(Skam skam, Tensor student, Tensor teacher, Generator? generator = null, Tensor? pixelWeight = null)
    {
        using var scope = torch.NewDisposeScope();
        var mask = skam.RandomMask(teacher.shape[0], teacher.shape[2], teacher.shape[3], TeacherRatio, generator, teacher.device);
        return Compute(skam, student, teacher, mask, pixelWeight).MoveToOuterDisposeScope();
    }

    /// <summary>One alignment stage with a given mask I^M [B, latent, H, W] (1 = teacher latent).</summary>
    public Tensor Compute(Skam skam, Tensor student, Tensor teacher, Tensor mask, Tensor? pixelWeight = null)
    {
        using var scope = torch.NewDisposeScope();
        var target = teacher.detach();
        var enhanced = skam.forward(student, target, mask);
        return Mse(enhanced, target, pixelWeight).MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared difference under a [B,1,H,W] or [B,C,H,W] weight, normalised by the weight's mass.</summary>
    public static Tensor Mse(Tensor a, Tensor b, Tensor? weight)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"MSE needs equal shapes, got [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}]");
        using var scope = torch.NewDisposeScope();
        var sq = (a - b).square();
        if (weight is null) return sq.mean().MoveToOuterDisposeScope();
        WeightedL1.CheckWeight(weight, a);
        var w = weight.expand_as(sq);
        return ((sq * w).sum() / w.sum().clamp_min(Scalars.Of(MinMass))).MoveToOuterDisposeScope();
    }
}
