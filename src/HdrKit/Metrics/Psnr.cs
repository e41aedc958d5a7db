using HdrKit.Imaging;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Metrics;

/// <summary>
/// Peak signal-to-noise ratio with data range 1: 10·log10(1 / MSE) = 20·log10(1/√MSE), the MSE taken over every
/// sample of one image (all channels), as the deghosting papers compute it. Identical images give +∞.
/// Inputs are used as given; the HDR conventions (clipping, μ-law) live in <see cref="HdrEvaluation"/>.
/// </summary>
public static class Psnr
{
    public static double Compute(FloatImage prediction, FloatImage groundTruth)
    {
        MetricGuard.SameShape(prediction, groundTruth);
        return FromMse(MeanSquaredError(prediction.Data, groundTruth.Data));
    }

    /// <summary>Per-image PSNR of [B,C,H,W] (or [C,H,W]) tensors, as a float64 tensor of shape [B].</summary>
    public static Tensor Compute(Tensor prediction, Tensor groundTruth)
    {
        using var scope = torch.NewDisposeScope();
        var (p, g) = MetricGuard.Batched(prediction, groundTruth);
        // float64 because a 45 dB result is an MSE near 3e-5, summed over millions of samples.
        var mse = (p.to(ScalarType.Float64) - g.to(ScalarType.Float64)).square().mean(new long[] { 1, 2, 3 });
        return (Scalars.Of(-10.0) * torch.log10(mse)).MoveToOuterDisposeScope();
    }

    public static double FromMse(double mse) => -10.0 * Math.Log10(mse);

    internal static double MeanSquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        // Chunked partial sums keep the double accumulation accurate and the result independent of threading.
        double sum = 0;
        const int chunk = 4096;
        for (int start = 0; start < a.Length; start += chunk)
        {
            int end = Math.Min(a.Length, start + chunk);
            double part = 0;
            for (int i = start; i < end; i++)
            {
                double d = (double)a[i] - b[i];
                part += d * d;
            }
            sum += part;
        }
        return sum / a.Length;
    }
}
