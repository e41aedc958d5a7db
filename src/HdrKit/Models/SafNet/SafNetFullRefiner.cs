using HdrKit.Models.Blocks;
using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>
/// Full SAFNet's refine net: per-exposure feature convs (the non-reference features are warped, not the images),
/// concatenated to 80 channels, five dilated residual blocks (1, 2, 4, 2, 1) and a 3×3 conv to the residual.
/// </summary>
public sealed class SafNetFullRefiner : SafNetRefiner
{
    private const int SideWidth = 20, CenterWidth = 40, Width = SideWidth + CenterWidth + SideWidth;
    private readonly Sequential conv0, conv1, conv2;
    private readonly SafNetResBlock resblock1, resblock2, resblock3, resblock4, resblock5;
    private readonly Conv2d conv3;

    public SafNetFullRefiner() : base(nameof(SafNetFullRefiner))
    {
        conv0 = nn.Sequential(ConvPReLU.Create(6, SideWidth), ConvPReLU.Create(SideWidth, SideWidth));
        conv1 = nn.Sequential(ConvPReLU.Create(6 + 2 + 2 + 1 + 1 + 3, CenterWidth), ConvPReLU.Create(CenterWidth, CenterWidth));
        conv2 = nn.Sequential(ConvPReLU.Create(6, SideWidth), ConvPReLU.Create(SideWidth, SideWidth));
        resblock1 = new SafNetResBlock(Width, 1);
        resblock2 = new SafNetResBlock(Width, 2);
        resblock3 = new SafNetResBlock(Width, 4);
        resblock4 = new SafNetResBlock(Width, 2);
        resblock5 = new SafNetResBlock(Width, 1);
        conv3 = nn.Conv2d(Width, 3, 3, padding: 1, bias: true);
        ZeroResidual(conv3);
        RegisterComponents();
    }

    public override int FusedChannels => Width;

    public override int BodyChannels => Width;

    public override SafNetRefinement forward(SafNetRefineInput x)
    {
        var a = x.Alignment;
        var feat0 = conv0.forward(x.Image0);
        var feat1 = conv1.forward(torch.cat([x.Image1, a.Flow0 / Scalars.Of(SafNetRefineInput.FlowScale), a.Flow2 / Scalars.Of(SafNetRefineInput.FlowScale),
            a.Mask0, a.Mask2, x.Merged], 1));
        var feat2 = conv2.forward(x.Image2);
        var fused = torch.cat([FlowWarp.Apply(feat0, a.Flow0), feat1, FlowWarp.Apply(feat2, a.Flow2)], 1);
        var body = resblock5.forward(resblock4.forward(resblock3.forward(resblock2.forward(resblock1.forward(fused)))));
        return new SafNetRefinement(Finish(x.Merged, conv3.forward(body)), fused, body);
    }
}
