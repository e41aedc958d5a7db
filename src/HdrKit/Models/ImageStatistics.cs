using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>
/// Quantities a network estimates from its whole input rather than from what one tile shows (SAFNet's
/// exposure-consistency mapping, which comes from histograms). Estimated once per image from <see cref="Sample"/>
/// and passed to every tile's forward pass, so tiles take the decisions the whole image would. The tensors belong
/// to the dispose scope they were estimated in.
/// </summary>
public abstract class ImageStatistics
{
    /// <summary>Samples the statistics are estimated from, at most: about a megapixel keeps the sort cheap at 24 MP and quantiles far finer than a code level.</summary>
    public const long MaxSamples = 1 << 20;

    /// <summary>Step of the regular sampling grid (rows and columns 0, s, 2s, …) for an image of this size; at least 2.</summary>
    public static int SampleStride(long height, long width) =>
        Math.Max(2, (int)Math.Ceiling(Math.Sqrt((double)height * width / MaxSamples)));

    /// <summary>The sampling grid of a whole [B, N, 6, H, W] input: [B, N, 6, ⌈H/s⌉, ⌈W/s⌉].</summary>
    public static Tensor Sample(Tensor exposures)
    {
        var every = TensorIndex.Slice(step: SampleStride(exposures.shape[^2], exposures.shape[^1]));
        return exposures[TensorIndex.Ellipsis, every, every];
    }
}
