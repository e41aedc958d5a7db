using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// RCAN-style channel attention as SMNet's CAB computes it: x · sigmoid(2 · MLP(avgpool(x))). The reference
/// declares a max-pool branch but feeds the average pool twice; the factor 2 reproduces that exactly, so
/// released weights behave as trained. Names: mlp.0, mlp.2 (1×1 convs).
/// </summary>
public sealed class ChannelAttention : nn.Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    public ChannelAttention(int channels, int squeezeFactor) : base(nameof(ChannelAttention))
    {
        mlp = nn.Sequential(
            nn.Conv2d(channels, channels / squeezeFactor, 1),
            nn.ReLU(),
            nn.Conv2d(channels / squeezeFactor, channels, 1));
        RegisterComponents();
    }

    /// <summary>[B, C, H, W] → [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = x.mean([2, 3], keepdim: true);
        return (x * sigmoid(mlp.forward(pooled) * Scalars.Of(2))).MoveToOuterDisposeScope();
    }
}
