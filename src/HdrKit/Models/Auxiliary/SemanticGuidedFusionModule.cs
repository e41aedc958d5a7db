using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using HdrKit.Models.Blocks;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// One of SPGRM's three Semantic Guided Fusion Modules (§3.2): a residual 3×3 conv body that refines the image
/// feature, then the <see cref="PriorFusionBlock"/> that injects the semantic prior. Without a fusion block
/// (the ablation "w/o semantic prior": a plain second stage) only the body runs.
/// Names: body.0, body.2 (convs), fusion.
/// </summary>
public sealed class SemanticGuidedFusionModule : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Sequential body;
    private readonly PriorFusionBlock? fusion;

    public SemanticGuidedFusionModule(int channels, int heads, bool usePrior) : base(nameof(SemanticGuidedFusionModule))
    {
        body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding: 1),
            new LeakyRelu(0.2),
            nn.Conv2d(channels, channels, 3, padding: 1));
        fusion = usePrior ? new PriorFusionBlock(channels, heads) : null;
        RegisterComponents();
    }

    public bool UsesPrior => fusion is not null;

    /// <summary>Feature [B, C, H, W] and, when the module fuses priors, a prior of the same shape.</summary>
    public override Tensor forward(Tensor feature, Tensor? prior)
    {
        using var scope = NewDisposeScope();
        var x = feature + body.forward(feature);
        if (fusion is not null)
            x = fusion.forward(x, prior ?? throw new ArgumentException("this fusion module fuses a semantic prior; none was given"));
        return x.MoveToOuterDisposeScope();
    }
}
