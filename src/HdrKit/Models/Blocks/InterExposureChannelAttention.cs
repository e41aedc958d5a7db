using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// SMNet's ICAB: x + ChannelCrossAttention(LayerNorm(x)), then + MLP(LayerNorm(·)) with ratio 4.
/// The reference also builds norm1_y, which its forward never uses; it is kept so weights load by name
/// and the parameter count matches.
/// </summary>
public sealed class InterExposureChannelAttention : nn.Module<Tensor, int, Tensor>
{
    private readonly TokenLayerNorm norm1_x;
    private readonly TokenLayerNorm norm1_y;
    private readonly ChannelCrossAttention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    public InterExposureChannelAttention(int dim, int headsPerExposure, double mlpRatio = 4) : base(nameof(InterExposureChannelAttention))
    {
        norm1_x = new TokenLayerNorm(dim);
        norm1_y = new TokenLayerNorm(dim);
        attn = new ChannelCrossAttention(dim, headsPerExposure);
        norm2 = nn.LayerNorm(dim);
        mlp = new Mlp(dim, (long)(dim * mlpRatio));
        RegisterComponents();
    }

    /// <summary>Tokens [B, H, W, C] of <paramref name="exposures"/> slices → [B, H, W, C].</summary>
    public override Tensor forward(Tensor tokens, int exposures)
    {
        using var scope = NewDisposeScope();
        var fused = tokens + attn.forward(norm1_x.forward(tokens), exposures);
        return (fused + mlp.forward(norm2.forward(fused))).MoveToOuterDisposeScope();
    }
}
