using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// SwinIR-style patch embedding with patch size 1: an image [B, C, H, W] becomes tokens, normalised.
/// Tokens are kept as [B, H, W, C] rather than the reference's [B, H·W, C]: the same memory, but the
/// spatial size travels with the tensor, so every block stays a plain Module&lt;Tensor, Tensor&gt;.
/// </summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;

    public PatchEmbed(long dim) : base(nameof(PatchEmbed))
    {
        norm = nn.LayerNorm(dim);
        RegisterComponents();
    }

    /// <summary>[B, C, H, W] → normalised tokens [B, H, W, C].</summary>
    public override Tensor forward(Tensor image) => norm.forward(ToTokens(image));

    /// <summary>[B, C, H, W] → [B, H, W, C] (a view; free when the image is already channels-last).</summary>
    public static Tensor ToTokens(Tensor image) => image.permute(0, 2, 3, 1);

    /// <summary>[B, H, W, C] → [B, C, H, W] as a channels-last view, which the convolutions consume without a copy.</summary>
    public static Tensor ToImage(Tensor tokens) => tokens.permute(0, 3, 1, 2);
}
