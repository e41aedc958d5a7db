using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// SMNet's MSAB: a Swin block with a parallel convolutional branch on the normalised features
/// (depthwise 3×3 → channel attention + spatial attention → depthwise 3×3) added after the MLP, and an
/// optional <see cref="Masker"/> that masks the attention branch's input while training (SMHDR's semantic
/// masking; the convolutional branch sees the unmasked features, as in the reference).
/// </summary>
public sealed class MaskedSwinBlock : SwinBlock
{
    private readonly Conv2d conv_cnn1;
    private readonly Conv2d conv_cnn2;
    private readonly ChannelAttention cab;
    private readonly SpatialAttention sab;

    /// <summary>Applied in training mode only; null = no masking.</summary>
    public IFeatureMasker? Masker { get; set; }
    /// <summary>Group index passed to <see cref="Masker"/>.</summary>
    public int Group { get; }

    public MaskedSwinBlock(int dim, int numHeads, int windowSize, int shiftSize, double mlpRatio, int group)
        : base(nameof(MaskedSwinBlock), dim, numHeads, windowSize, shiftSize, mlpRatio)
    {
        Group = group;
        conv_cnn1 = nn.Conv2d(dim, dim, 3, padding: 1, groups: dim);
        conv_cnn2 = nn.Conv2d(dim, dim, 3, padding: 1, groups: dim);
        cab = new ChannelAttention(dim, 4);
        sab = new SpatialAttention();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normed = norm1.forward(x);
        var image = PatchEmbed.ToImage(normed);
        var local = conv_cnn1.forward(image);
        var branch = PatchEmbed.ToTokens(conv_cnn2.forward(cab.forward(local) + sab.forward(local)));
        if (training && Masker is not null)
            normed = PatchEmbed.ToTokens(Masker.Mask(image, Group));
        var y = FeedForward(x + AttendWindows(normed));
        return (y + branch).MoveToOuterDisposeScope();
    }
}
