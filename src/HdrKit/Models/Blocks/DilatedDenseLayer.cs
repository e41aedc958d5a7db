using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>One dense layer of a DRDB: ReLU(3×3 conv, dilation 2) producing growth-rate new channels. Name: conv.</summary>
public sealed class DilatedDenseLayer : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public DilatedDenseLayer(int inChannels, int growthRate) : base(nameof(DilatedDenseLayer))
    {
        conv = nn.Conv2d(inChannels, growthRate, 3, padding: 2, dilation: 2);
        RegisterComponents();
    }

    /// <summary>The new channels only; the block does the concatenation.</summary>
    public override Tensor forward(Tensor x) => nn.functional.relu(conv.forward(x));
}
