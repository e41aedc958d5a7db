using HdrKit.Util;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Square-window box mean and max over [B, C, H, W], as a row pass then a column pass: the same result as the square
/// window (border windows are rectangles either way, averaged over the pixels inside the image).
/// </summary>
/// <remarks>
/// Each pass combines shifted views of the padded tensor, doubling the covered width (1, 2, 4, … pixels) and adding
/// the widths that make up the window: about log₂ of the window in whole-tensor operations. libtorch's CPU pooling
/// kernels run one thread per channel and image, so on the gates' one-channel full-resolution maps they used one core
/// of two, unvectorised; element-wise operations use both. Sums of at most a window's values keep float rounding at
/// the level of the pooling kernels' (a running prefix sum would not: the gates subtract squared means).
/// </remarks>
public static class BoxFilter
{
    /// <summary>Mean over the (2·<paramref name="radius"/> + 1)² window around each pixel.</summary>
    public static Tensor Mean(Tensor x, int radius)
    {
        using var scope = NewDisposeScope();
        var sum = Kept.Replacing(Window(x, 3, radius, Reduction.Sum), rows => Window(rows, 2, radius, Reduction.Sum));
        var counts = InsideCounts(x.shape[2], radius, x).view(-1, 1) * InsideCounts(x.shape[3], radius, x).view(1, -1);
        return InPlace.Div(sum, counts).MoveToOuterDisposeScope();
    }

    /// <summary>Max over the (2·<paramref name="radius"/> + 1)² window around each pixel.</summary>
    public static Tensor Max(Tensor x, int radius)
    {
        using var scope = NewDisposeScope();
        return Kept.Replacing(Window(x, 3, radius, Reduction.Max), rows => Window(rows, 2, radius, Reduction.Max)).MoveToOuterDisposeScope();
    }

    private enum Reduction { Sum, Max }

    // The reduction over the 2r + 1 values centred on each position along dim 2 or 3, same length as the input. Sums
    // pad with zeros (the mean divides by the pixels inside), maxima repeat the border pixel, which every border window
    // holds anyway.
    // Only the result leaves: the padded copy and the spans are released when the pass ends, so a box filter holds two
    // full-size maps beyond its input at a time (the gates run a few dozen of them on whole images).
    private static Tensor Window(Tensor x, int dim, int radius, Reduction reduction)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[dim];
        long[] pad = dim == 3 ? [radius, radius, 0, 0] : [0, 0, radius, radius];
        var padded = reduction == Reduction.Sum ? F.pad(x, pad) : F.pad(x, pad, TorchSharp.PaddingModes.Replicate);
        int window = 2 * radius + 1;
        Tensor Combine(Tensor a, Tensor b) => reduction == Reduction.Sum ? a + b : maximum(a, b);

        // spans[k] reduces 2^k consecutive values starting at each of its positions.
        var spans = new List<Tensor> { padded };
        for (int width = 2; width <= window; width *= 2)
        {
            var previous = spans[^1];
            long length = previous.shape[dim] - width / 2;
            spans.Add(Combine(previous.narrow(dim, 0, length), previous.narrow(dim, width / 2, length)));
        }
        Tensor? result = null;
        int offset = 0;
        for (int k = spans.Count - 1; k >= 0; k--)
        {
            if ((window & (1 << k)) == 0) continue;
            var part = spans[k].narrow(dim, offset, n);
            result = result is null ? part : Combine(result, part);
            offset += 1 << k;
        }
        return result!.contiguous().MoveToOuterDisposeScope();
    }

    // How many of the 2r + 1 positions centred on each index of a length-n axis lie inside it.
    private static Tensor InsideCounts(long n, int radius, Tensor like)
    {
        var counts = new float[n];
        for (long i = 0; i < n; i++) counts[i] = Math.Min(i + radius, n - 1) - Math.Max(i - radius, 0) + 1;
        return tensor(counts, device: like.device).to(like.dtype);
    }
}
