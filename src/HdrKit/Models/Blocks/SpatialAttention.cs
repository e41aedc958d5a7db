using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>CBAM-style spatial attention: x · sigmoid(conv7×7([mean_c(x), max_c(x)])). Name: conv2d.</summary>
public sealed class SpatialAttention : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv2d;

    public SpatialAttention(int kernelSize = 7) : base(nameof(SpatialAttention))
    {
        conv2d = nn.Conv2d(2, 1, kernelSize, padding: kernelSize / 2);
        RegisterComponents();
    }

    /// <summary>[B, C, H, W] → [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var stats = cat([x.mean([1], keepdim: true), x.amax([1], keepdim: true)], 1);
        return (x * sigmoid(conv2d.forward(stats))).MoveToOuterDisposeScope();
    }
}
