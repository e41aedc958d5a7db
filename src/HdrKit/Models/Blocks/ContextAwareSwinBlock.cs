using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// HDR-Transformer's context-aware transformer block: a Swin block plus a local context extractor on the
/// normalised input, added after the MLP.
/// </summary>
public sealed class ContextAwareSwinBlock : SwinBlock
{
    private readonly LocalContextExtractor lce;

    public ContextAwareSwinBlock(int dim, int numHeads, int windowSize, int shiftSize, double mlpRatio)
        : base(nameof(ContextAwareSwinBlock), dim, numHeads, windowSize, shiftSize, mlpRatio)
    {
        lce = new LocalContextExtractor(dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normed = norm1.forward(x);
        var y = FeedForward(x + AttendWindows(normed));
        var context = PatchEmbed.ToTokens(lce.forward(PatchEmbed.ToImage(normed)));
        return (y + context).MoveToOuterDisposeScope();
    }
}
