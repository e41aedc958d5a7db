using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// A 1×1 projection (with bias) from a feature of any width and stride onto another module's feature grid, so
/// feature-level losses attach to any zoo model's taps (<see cref="HdrNetwork.FeatureInfo"/>) without per-model
/// code. Names: proj.
/// </summary>
public sealed class FeatureAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public int InChannels { get; }
    public int OutChannels { get; }

    public FeatureAdapter(int inChannels, int outChannels) : base(nameof(FeatureAdapter))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        proj = nn.Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>[B, in, H, W] → [B, out, H, W].</summary>
    public override Tensor forward(Tensor feature)
    {
        if (feature.dim() != 4 || feature.shape[1] != InChannels)
            throw new ArgumentException($"feature must be [B,{InChannels},H,W], got [{string.Join(",", feature.shape)}]");
        return proj.forward(feature);
    }

    /// <summary>
    /// Projects and resamples (bilinear, half-pixel centres) to height × width. Both steps are linear and the
    /// bilinear weights sum to one, so their order does not change the result; the projection runs on the
    /// smaller of the two grids.
    /// </summary>
    public Tensor Align(Tensor feature, long height, long width)
    {
        if (feature.dim() == 4 && feature.shape[2] == height && feature.shape[3] == width) return forward(feature);
        using var scope = NewDisposeScope();
        bool shrink = height * width < feature.shape[2] * feature.shape[3];
        var result = shrink ? forward(Resize(feature, height, width)) : Resize(forward(feature), height, width);
        return result.MoveToOuterDisposeScope();
    }

    internal static Tensor Resize(Tensor x, long height, long width) =>
        nn.functional.interpolate(x, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
}
