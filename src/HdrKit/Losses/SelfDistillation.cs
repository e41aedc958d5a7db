using HdrKit.Exposure;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// The image-level terms of the knowledge-transfer paper that tie ORM and SPGRM (§3.3 Eq. 5, §3.5 Eq. 13),
/// built from the existing loss terms rather than new ones. SPGRM works in the μ-law domain, the existing terms
/// take linear HDR and tonemap themselves; the teacher Ĥ_s is therefore handed to them as T⁻¹(Ĥ_s), which
/// they map back to Ĥ_s, so L_content = ‖T(H_in) − Ĥ_s‖₁ + λ Σ‖φ(T(H_in)) − φ(Ĥ_s)‖₁ is
/// <see cref="MuLawL1Loss"/> + λ·<see cref="VggPerceptualLoss"/> on (H_in, T⁻¹(Ĥ_s)).
/// </summary>
public static class SelfDistillation
{
    /// <summary>The paper's λ of Eq. 5.</summary>
    public const double PerceptualWeight = 1e-2;

    /// <summary>
    /// The teacher's output as a linear target for linear-input loss terms: T⁻¹(Ĥ_s), detached because SPGRM is
    /// supervised by L_spg alone (§3.5) and is the distillation's teacher.
    /// </summary>
    public static Tensor TeacherTarget(Tensor refinedMuLaw, float mu = MuLaw.Mu)
    {
        using var scope = torch.NewDisposeScope();
        return MuLaw.Invert(refinedMuLaw.detach(), mu).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// L_content as a composite of existing terms; apply it to <c>new LossInputs(H_in, TeacherTarget(Ĥ_s))</c>.
    /// Without VGG weights only the pixel term is built (for tests and the ablation). The paper does not name
    /// the VGG layers; the default is the one of the supervised perceptual loss (LossConfig).
    /// </summary>
    public static CompositeLoss ContentLoss(Vgg19Weights? vgg, IReadOnlyList<string>? layers = null, double perceptualWeight = PerceptualWeight, float mu = MuLaw.Mu)
    {
        var loss = new CompositeLoss().Add(new MuLawL1Loss(mu));
        if (vgg is not null) loss.Add(new VggPerceptualLoss(vgg, layers ?? ["relu1_1", "relu2_1", "relu3_1"], mu), perceptualWeight);
        return loss;
    }

    /// <summary>L_spg = ‖Ĥ_s − T(GT)‖₁ (Eq. 13), with the pixel-weight convention of <see cref="WeightedL1"/>.</summary>
    public static Tensor RefinerLoss(Tensor refinedMuLaw, Tensor groundTruthLinear, Tensor? pixelWeight = null, float mu = MuLaw.Mu)
    {
        using var scope = torch.NewDisposeScope();
        return WeightedL1.Mean(refinedMuLaw, MuLaw.Apply(groundTruthLinear, mu), pixelWeight).MoveToOuterDisposeScope();
    }
}
