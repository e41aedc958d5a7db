using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// The Semantic Priors Guided Reconstruction Model of "Boosting HDR Image Reconstruction via Semantic Knowledge
/// Transfer" (§3.2, Eq. 3): Ĥ_s = f_e(H_s, p_f). It refines the ORM's result H_s = T(H_in) in the μ-law
/// domain — the domain the SKB's sRGB-trained features describe — and has no alignment stage, since its input
/// is already merged. A 3×3 head, the fusion modules at full resolution (priors from the pyramid upsampled to
/// the image), a 3×3 tail predicting a residual to H_s. Training only: the exported model is the ORM alone.
///
/// Priors are detached: the bank is frozen (θ_s fixed), so no gradient reaches it or, through it, the ORM.
/// The image input is not detached; whether L_spg trains the ORM through SPGRM is the recipe's choice.
/// Names: head, fpn, fusion.k, tail.
/// </summary>
public sealed class Spgrm : nn.Module<Tensor, IReadOnlyList<Tensor>?, SpgrmForward>
{
    private readonly Conv2d head;
    private readonly SemanticFpn? fpn;
    private readonly ModuleList<SemanticGuidedFusionModule> fusion;
    private readonly Conv2d tail;

    public SpgrmConfig Config { get; }

    public Spgrm(SpgrmConfig? config = null) : base(nameof(Spgrm))
    {
        Config = config ?? new SpgrmConfig();
        Config.Validate();
        int c = Config.Width;
        head = nn.Conv2d(3, c, 3, padding: 1);
        fpn = Config.UsePriors ? new SemanticFpn(Config.Priors, c, Config.PriorLevels) : null;
        fusion = nn.ModuleList(Enumerable.Range(0, Config.Modules)
            .Select(_ => new SemanticGuidedFusionModule(c, Config.Heads, Config.UsePriors)).ToArray());
        tail = nn.Conv2d(c, 3, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The teacher features SKAM aligns to: one per fusion module, full resolution.</summary>
    public IReadOnlyList<FeatureInfo> FeatureInfo =>
        Enumerable.Range(0, Config.Modules).Select(k => new FeatureInfo($"fusion{k}", Config.Width, 1)).ToArray();

    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <param name="image">H_s = T(H_in), [B, 3, H, W].</param>
    /// <param name="priors">The SKB levels p_f^i, [B, C_i, ⌈H/s_i⌉, ⌈W/s_i⌉], strides 2…16; null only without priors.</param>
    public override SpgrmForward forward(Tensor image, IReadOnlyList<Tensor>? priors)
    {
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"SPGRM refines [B,3,H,W] images, got [{string.Join(",", image.shape)}]");
        using var scope = NewDisposeScope();
        long b = image.shape[0], h = image.shape[2], w = image.shape[3];
        Tensor[]? pyramid = null;
        if (fpn is not null)
        {
            if (priors is null) throw new ArgumentException("this SPGRM fuses semantic priors; none were given");
            foreach (var p in priors)
                if (p.dim() != 4 || p.shape[0] != b)
                    throw new ArgumentException($"priors must be [B={b},C,h,w], got [{string.Join(",", p.shape)}]");
            pyramid = fpn.forward(priors.Select(p => p.detach()).ToArray());
        }
        var x = head.forward(image);
        var features = new Tensor[fusion.Count];
        for (int k = 0; k < fusion.Count; k++)
        {
            var prior = pyramid is null ? null : FeatureAdapter.Resize(pyramid[k], h, w);
            x = fusion[k].forward(x, prior);
            features[k] = x.MoveToOuterDisposeScope();
        }
        var output = (image + tail.forward(x)).MoveToOuterDisposeScope();
        return new SpgrmForward(output, features);
    }
}
