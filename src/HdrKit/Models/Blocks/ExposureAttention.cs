using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// AHDRNet's attention of a non-reference exposure against the reference:
/// sigmoid(conv3×3(LeakyReLU(conv3×3(cat(f, f_ref))))), a per-pixel, per-channel weight for f.
/// As a module (names att1, att2) for HDR-Transformer; AHDRNet keeps its convolutions flat in the model
/// (att11/att12, att31/att32) and calls <see cref="Map"/> with them.
/// </summary>
public sealed class ExposureAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Conv2d att1;
    private readonly Conv2d att2;

    public ExposureAttention(int dim) : base(nameof(ExposureAttention))
    {
        att1 = nn.Conv2d(dim * 2, dim * 2, 3, padding: 1);
        att2 = nn.Conv2d(dim * 2, dim, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The attention map (not yet applied) for <paramref name="features"/> against <paramref name="reference"/>.</summary>
    public override Tensor forward(Tensor features, Tensor reference) => Map(att1, att2, features, reference);

    public static Tensor Map(Conv2d first, Conv2d second, Tensor features, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var hidden = LeakyRelu.Apply(first.forward(cat([features, reference], 1)), 0.01);
        return sigmoid(second.forward(hidden)).MoveToOuterDisposeScope();
    }
}
