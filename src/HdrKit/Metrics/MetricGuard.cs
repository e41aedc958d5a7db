using HdrKit.Imaging;
using static TorchSharp.torch;

namespace HdrKit.Metrics;

/// <summary>The argument checks every metric shares, so each mismatch gets the same one-line message.</summary>
internal static class MetricGuard
{
    public static void SameShape(FloatImage prediction, FloatImage groundTruth)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (!prediction.SameSize(groundTruth))
            throw new ArgumentException(
                $"prediction is {prediction.Width}x{prediction.Height} but ground truth is {groundTruth.Width}x{groundTruth.Height}: metrics need images of the same size",
                nameof(prediction));
        if (prediction.Channels != groundTruth.Channels)
            throw new ArgumentException(
                $"prediction has {prediction.Channels} channels but ground truth has {groundTruth.Channels}",
                nameof(prediction));
    }

    public static void SsimSize(int width, int height)
    {
        if (width < GaussianWindow.Size || height < GaussianWindow.Size)
            throw new ArgumentException(
                $"SSIM needs images of at least {GaussianWindow.Size}x{GaussianWindow.Size} pixels, got {width}x{height}");
    }

    /// <summary>Checks shapes and returns both as [B,C,H,W] views.</summary>
    public static (Tensor Prediction, Tensor GroundTruth) Batched(Tensor prediction, Tensor groundTruth)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (!prediction.shape.SequenceEqual(groundTruth.shape))
            throw new ArgumentException(
                $"prediction has shape [{string.Join(",", prediction.shape)}] but ground truth has [{string.Join(",", groundTruth.shape)}]",
                nameof(prediction));
        if (prediction.dim() != 3 && prediction.dim() != 4)
            throw new ArgumentException(
                $"expected [B,C,H,W] or [C,H,W] tensors, got shape [{string.Join(",", prediction.shape)}]", nameof(prediction));
        if (!prediction.is_floating_point() || !groundTruth.is_floating_point())
            throw new ArgumentException(
                $"expected floating-point tensors, got {prediction.dtype} and {groundTruth.dtype}", nameof(prediction));
        return prediction.dim() == 3 ? (prediction.unsqueeze(0), groundTruth.unsqueeze(0)) : (prediction, groundTruth);
    }
}
