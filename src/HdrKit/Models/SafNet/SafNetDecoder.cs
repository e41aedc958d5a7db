using HdrKit.Models.Blocks;
using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models.SafNet;

/// <summary>
/// One decoder applied at every pyramid level, coarse to fine: warps the non-reference features by the current
/// flows, estimates residual flows and mask logits, and returns them at twice the resolution. The middle convs
/// are grouped (3 groups) with channel shuffles in between, which keeps the shared decoder cheap.
/// </summary>
public sealed class SafNetDecoder : nn.Module<Tensor, Tensor, Tensor, SafNetFlowState, SafNetFlowState>
{
    private readonly Sequential conv1, conv2, conv3, conv4, conv5;
    private readonly ConvTranspose2d conv6;
    private readonly ChannelShuffle shuffle = nn.ChannelShuffle(3); // no parameters: adds no state-dict keys

    public SafNetDecoder(int width) : base(nameof(SafNetDecoder))
    {
        int hidden = 3 * width;
        conv1 = ConvPReLU.Create(3 * width + 6, hidden);
        conv2 = ConvPReLU.Create(hidden, hidden, groups: 3);
        conv3 = ConvPReLU.Create(hidden, hidden, groups: 3);
        conv4 = ConvPReLU.Create(hidden, hidden, groups: 3);
        conv5 = ConvPReLU.Create(hidden, hidden);
        conv6 = nn.ConvTranspose2d(hidden, 6, 4, stride: 2, padding: 1, bias: true);
        RegisterComponents();
    }

    public override SafNetFlowState forward(Tensor f0, Tensor f1, Tensor f2, SafNetFlowState s)
    {
        // Only the new state leaves: the hidden activations of the finest level (ten maps of 3 × width channels at
        // 1/16 of the input's pixels) would otherwise stay alive to the end of SAFNet's forward.
        using var scope = torch.NewDisposeScope();
        var input = torch.cat([FlowWarp.Apply(f0, s.Flow0), f1, FlowWarp.Apply(f2, s.Flow2), s.Flow0, s.Flow2, s.Mask0, s.Mask2], 1);
        // Each activation is released once the next layer has read it, rather than all ten (3 × width channels each) when
        // the level ends: at the finest level they are the largest tensors of the whole forward.
        var x = Kept.Replacing(input, conv1.forward);
        foreach (var conv in new[] { conv2, conv3, conv4 })
            x = Kept.Replacing(x, h => shuffle.forward(conv.forward(h)));
        var delta = Kept.Replacing(x, h => conv6.forward(conv5.forward(h)));
        // Flows are in pixels, so doubling the resolution doubles them; mask logits just upsample.
        return new SafNetFlowState(
            (Scalars.Of(2.0) * Upsample2x(s.Flow0) + delta[.., 0..2]).MoveToOuterDisposeScope(),
            (Scalars.Of(2.0) * Upsample2x(s.Flow2) + delta[.., 2..4]).MoveToOuterDisposeScope(),
            (Upsample2x(s.Mask0) + delta[.., 4..5]).MoveToOuterDisposeScope(),
            (Upsample2x(s.Mask2) + delta[.., 5..6]).MoveToOuterDisposeScope());
    }

    private static Tensor Upsample2x(Tensor x) =>
        F.interpolate(x, [x.shape[2] * 2, x.shape[3] * 2], mode: InterpolationMode.Bilinear, align_corners: false);
}
