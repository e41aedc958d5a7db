using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Backward warping by a dense flow in pixels: output(x) = input(x + flow(x)), bilinear, border-clamped,
/// align_corners=True (pixel centres at −1 and +1 are the first and last pixels). The grid is built the way
/// the flow-based HDR references build it (linspace grid plus flow scaled by (size − 1)/2) so results agree
/// with them to float rounding.
/// </summary>
public static class FlowWarp
{
    public static Tensor Apply(Tensor input, Tensor flow)
    {
        using var scope = torch.NewDisposeScope();
        long b = flow.shape[0], h = flow.shape[2], w = flow.shape[3];
        var xx = torch.linspace(-1.0, 1.0, w, dtype: flow.dtype, device: flow.device).view(1, 1, 1, w).expand(b, -1, h, -1);
        var yy = torch.linspace(-1.0, 1.0, h, dtype: flow.dtype, device: flow.device).view(1, 1, h, 1).expand(b, -1, -1, w);
        var grid = torch.cat([xx, yy], 1);
        using var halfWidth = ((w - 1.0) / 2.0).ToScalar();
        using var halfHeight = ((h - 1.0) / 2.0).ToScalar();
        var normalized = torch.cat([flow[.., 0..1] / halfWidth, flow[.., 1..2] / halfHeight], 1);
        var sampleAt = (grid + normalized).permute(0, 2, 3, 1);
        return F.grid_sample(input, sampleAt, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true)
            .MoveToOuterDisposeScope();
    }
}
