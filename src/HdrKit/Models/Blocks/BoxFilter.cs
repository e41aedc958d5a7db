using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Square-window box mean and max over [B, C, H, W], as a row pass then a column pass: the same result as the square
/// window (border windows are rectangles either way, averaged over the pixels inside the image), at 2k instead of k²
/// operations per pixel.
/// </summary>
public static class BoxFilter
{
    /// <summary>Mean over the (2·<paramref name="radius"/> + 1)² window around each pixel.</summary>
    public static Tensor Mean(Tensor x, int radius) =>
        F.avg_pool2d(F.avg_pool2d(x, [1, 2 * radius + 1], [1, 1], [0, radius], count_include_pad: false),
            [2 * radius + 1, 1], [1, 1], [radius, 0], count_include_pad: false);

    /// <summary>Max over the (2·<paramref name="radius"/> + 1)² window around each pixel.</summary>
    public static Tensor Max(Tensor x, int radius) =>
        F.max_pool2d(F.max_pool2d(x, [1, 2 * radius + 1], [1, 1], [0, radius]), [2 * radius + 1, 1], [1, 1], [radius, 0]);
}
