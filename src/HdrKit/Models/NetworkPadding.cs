using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models;

/// <summary>
/// Brings exposures to a network's <see cref="NetworkInputSpec.PadMultiple"/>: the one place inference, validation
/// and training round sizes and pad [B, N, 6, H, W] inputs, so they cannot disagree about the border.
/// </summary>
public static class NetworkPadding
{
    /// <summary>The smallest multiple of <paramref name="multiple"/> that is at least <paramref name="value"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// The multiple a whole-image run pads to: the network's pad multiple (which it needs) and its
    /// <see cref="HdrNetwork.PreferredSizeMultiple"/> (where its own resampling is exact). Inference and validation both
    /// use it, so training scores what `hdrkit merge` produces.
    /// </summary>
    public static int MultipleFor(HdrNetwork network) =>
        LeastCommonMultiple(Math.Max(1, network.InputSpec.PadMultiple), Math.Max(1, network.PreferredSizeMultiple));

    public static int LeastCommonMultiple(int a, int b) => a / GreatestCommonDivisor(a, b) * b;

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    /// <summary>Rows and columns to add below and to the right so both sides become multiples.</summary>
    public static (long Bottom, long Right) Amount(long height, long width, int multiple)
    {
        if (multiple < 1) throw new ArgumentOutOfRangeException(nameof(multiple), multiple, "pad multiple must be positive");
        return ((multiple - height % multiple) % multiple, (multiple - width % multiple) % multiple);
    }

    /// <summary>
    /// Pads [B, N, 6, H, W] exposures at the bottom and right edges (replicate by default: repeating the border keeps
    /// exposure levels and invents no mirrored motion). Returns the input itself when no padding is needed.
    /// </summary>
    public static Tensor Pad(Tensor exposures, int multiple, PaddingModes mode = PaddingModes.Replicate)
    {
        if (exposures.dim() != 5) throw new ArgumentException($"expected [B, N, C, H, W] exposures, got [{string.Join(",", exposures.shape)}]");
        long b = exposures.shape[0], n = exposures.shape[1], c = exposures.shape[2], h = exposures.shape[3], w = exposures.shape[4];
        var (bottom, right) = Amount(h, w, multiple);
        if (bottom == 0 && right == 0) return exposures;
        return F.pad(exposures.reshape(b, n * c, h, w), [0, right, 0, bottom], mode).reshape(b, n, c, h + bottom, w + right);
    }
}
