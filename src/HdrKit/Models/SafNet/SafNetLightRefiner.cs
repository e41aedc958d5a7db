using HdrKit.Models.Blocks;
using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>
/// SAFNet-S's refine net: the warped exposures, flows, masks and merged HDR go through seven plain 3×3 convs
/// with dilations 1, 1, 2, 4, 2, 1 (a 27-pixel receptive field at full resolution) to a residual.
/// </summary>
public sealed class SafNetLightRefiner : SafNetRefiner
{
    private const int Width = 32;
    private readonly Sequential conv1, conv2, conv3, conv4, conv5, conv6;
    private readonly Conv2d conv7;

    public SafNetLightRefiner() : base(nameof(SafNetLightRefiner))
    {
        conv1 = ConvPReLU.Create(6 + 6 + 6 + 2 + 2 + 1 + 1 + 3, Width);
        conv2 = ConvPReLU.Create(Width, Width);
        conv3 = ConvPReLU.Create(Width, Width, padding: 2, dilation: 2);
        conv4 = ConvPReLU.Create(Width, Width, padding: 4, dilation: 4);
        conv5 = ConvPReLU.Create(Width, Width, padding: 2, dilation: 2);
        conv6 = ConvPReLU.Create(Width, Width);
        conv7 = nn.Conv2d(Width, 3, 3, padding: 1, bias: true);
        ZeroResidual(conv7);
        RegisterComponents();
    }

    public override int FusedChannels => Width;

    public override int BodyChannels => Width;

    public override SafNetRefinement forward(SafNetRefineInput x)
    {
        var a = x.Alignment;
        var fused = conv1.forward(torch.cat([
            FlowWarp.Apply(x.Image0, a.Flow0), x.Image1, FlowWarp.Apply(x.Image2, a.Flow2),
            a.Flow0 / Scalars.Of(SafNetRefineInput.FlowScale), a.Flow2 / Scalars.Of(SafNetRefineInput.FlowScale), a.Mask0, a.Mask2, x.Merged], 1));
        var body = conv6.forward(conv5.forward(conv4.forward(conv3.forward(conv2.forward(fused)))));
        return new SafNetRefinement(Finish(x.Merged, conv7.forward(body)), fused, body);
    }
}
