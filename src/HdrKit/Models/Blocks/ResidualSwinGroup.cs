using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// A SwinIR-style residual group: x + conv(blocks(x)), with the 3×3 convolution on the image layout.
/// HDR-Transformer calls the conv "dilated_conv" (dilation 2), SMNet "conv" (dilation 1); the name is
/// passed in so both state dicts load as they are.
/// </summary>
public sealed class ResidualSwinGroup : nn.Module<Tensor, Tensor>
{
    private readonly SwinBlockStack residual_group;
    // Held inside a tuple so that TorchSharp's automatic field registration does not also register it
    // under the field's name; it is registered once, under the reference's name.
    private readonly (Conv2d Module, string Name) conv;

    public ResidualSwinGroup(IEnumerable<SwinBlock> blocks, int dim, string convName, int dilation) : base(nameof(ResidualSwinGroup))
    {
        residual_group = new SwinBlockStack(blocks);
        conv = (nn.Conv2d(dim, dim, 3, padding: dilation, dilation: dilation), convName);
        register_module(nameof(residual_group), residual_group);
        register_module(convName, conv.Module);
    }

    public IReadOnlyList<SwinBlock> Blocks => residual_group.Blocks;

    /// <summary>Tokens [B, H, W, C] → tokens [B, H, W, C].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var res = conv.Module.forward(PatchEmbed.ToImage(residual_group.forward(x)));
        return (PatchEmbed.ToTokens(res) + x).MoveToOuterDisposeScope();
    }
}
