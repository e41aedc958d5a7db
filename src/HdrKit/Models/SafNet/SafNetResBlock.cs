using HdrKit.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>Residual block of SAFNet's refine net: conv-PReLU-conv, add the input, PReLU; dilated to widen the field cheaply.</summary>
public sealed class SafNetResBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv1;
    private readonly Conv2d conv2;
    private readonly PReLU prelu;

    public SafNetResBlock(int channels, int dilation) : base(nameof(SafNetResBlock))
    {
        conv1 = ConvPReLU.Create(channels, channels, padding: dilation, dilation: dilation);
        conv2 = nn.Conv2d(channels, channels, 3, padding: dilation, dilation: dilation, bias: true);
        prelu = nn.PReLU(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => prelu.forward(x + conv2.forward(conv1.forward(x)));
}
