using HdrKit.Models.Blocks;
using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>SAFNet's 4-level pyramid encoder (shared by all three exposures): each level halves the resolution.</summary>
public sealed class SafNetEncoder : nn.Module<Tensor, Tensor[]>
{
    private readonly Sequential pyramid1, pyramid2, pyramid3, pyramid4;

    public SafNetEncoder(int width) : base(nameof(SafNetEncoder))
    {
        pyramid1 = Level(6, width);
        pyramid2 = Level(width, width);
        pyramid3 = Level(width, width);
        pyramid4 = Level(width, width);
        RegisterComponents();
    }

    private static Sequential Level(int inChannels, int width) =>
        nn.Sequential(ConvPReLU.Create(inChannels, width, stride: 2), ConvPReLU.Create(width, width));

    /// <summary>Features at strides 2, 4, 8, 16 of the encoder input.</summary>
    public override Tensor[] forward(Tensor image)
    {
        // Only the four outputs are kept: each level's inner activations go as soon as it has run.
        var f1 = Kept.Result(() => pyramid1.forward(image));
        var f2 = Kept.Result(() => pyramid2.forward(f1));
        var f3 = Kept.Result(() => pyramid3.forward(f2));
        var f4 = Kept.Result(() => pyramid4.forward(f3));
        return [f1, f2, f3, f4];
    }
}
