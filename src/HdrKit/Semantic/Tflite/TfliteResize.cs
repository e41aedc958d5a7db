using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Semantic.Tflite;

/// <summary>
/// Bilinear resizing exactly as TFLite's RESIZE_BILINEAR defines it, for all three coordinate conventions:
/// align_corners (src = dst · (in−1)/(out−1)), half_pixel_centers (src = (dst+½) · in/out − ½, clamped at 0)
/// and the legacy TF1 default (src = dst · in/out). Separable: rows, then columns, by gathering the two
/// neighbours and blending, so no convention has to be emulated through another library's flags.
/// </summary>
public static class TfliteResize
{
    /// <summary>Resizes an NCHW tensor to <paramref name="outH"/>×<paramref name="outW"/>.</summary>
    public static Tensor Bilinear(Tensor x, int outH, int outW, bool alignCorners, bool halfPixelCenters)
    {
        if (outH <= 0 || outW <= 0) throw new ArgumentException($"resize target {outH}x{outW} must be positive");
        using var scope = torch.NewDisposeScope();
        var y = Along(x, 2, outH, alignCorners, halfPixelCenters);
        y = Along(y, 3, outW, alignCorners, halfPixelCenters);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Source index pairs and blend weights for one axis, computed in float32 like TFLite's kernel.</summary>
    public static (long[] Lower, long[] Upper, float[] Weight) Taps(int inSize, int outSize, bool alignCorners, bool halfPixelCenters)
    {
        float scale = alignCorners && outSize > 1 ? (inSize - 1) / (float)(outSize - 1) : inSize / (float)outSize;
        var lo = new long[outSize];
        var hi = new long[outSize];
        var w = new float[outSize];
        for (int i = 0; i < outSize; i++)
        {
            float src = halfPixelCenters ? (i + 0.5f) * scale - 0.5f : i * scale;
            float floor = MathF.Floor(src);
            lo[i] = Math.Max((long)floor, 0);
            hi[i] = Math.Min((long)MathF.Ceiling(src), inSize - 1);
            // Where the lower index is clamped both neighbours are the same pixel, so the weight is moot.
            w[i] = src - floor;
        }
        return (lo, hi, w);
    }

    private static Tensor Along(Tensor x, int dim, int outSize, bool alignCorners, bool halfPixelCenters)
    {
        int inSize = (int)x.shape[dim];
        if (inSize == outSize && !halfPixelCenters) return x.alias();
        var (lo, hi, w) = Taps(inSize, outSize, alignCorners, halfPixelCenters);
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[dim] = outSize;
        var wt = torch.tensor(w, device: x.device).to(x.dtype).view(shape);
        var a = x.index_select(dim, torch.tensor(lo, device: x.device));
        var b = x.index_select(dim, torch.tensor(hi, device: x.device));
        return a + (b - a) * wt;
    }
}
