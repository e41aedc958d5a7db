using HdrKit.Exposure;
using HdrKit.Losses;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

public class UncertaintyLossTests
{
    // Prediction off by exactly d in μ-law at every pixel and channel.
    private static (Tensor Prediction, Tensor Target) Pair(float d)
    {
        var target = full(new long[] { 1, 3, 4, 4 }, Scalars.Of(0.25f));
        var prediction = full(new long[] { 1, 3, 4, 4 }, Scalars.Of(MuLaw.Invert(MuLaw.Apply(0.25f) + d)));
        return (prediction, target);
    }

    [Theory]
    [InlineData(0.2, -2.0)]
    [InlineData(0.2, 0.0)]
    [InlineData(0.05, -6.0)]
    public void Value_is_the_gaussian_negative_log_likelihood(double d, double logVar)
    {
        var (p, t) = Pair((float)d);
        using var _p = p; using var _t = t;
        using var s = full(new long[] { 1, 1, 4, 4 }, Scalars.Of((float)logVar));
        using var loss = UncertaintyLoss.Compute(p, t, s);
        double expected = 0.5 * Math.Exp(-logVar) * d * d + 0.5 * logVar;
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Theory]
    [InlineData(-6.0, -1)] // σ² below the squared error: grow σ
    [InlineData(0.0, 1)]   // σ² above: shrink σ
    public void Gradient_moves_sigma_towards_the_error(double logVar, int sign)
    {
        var (p, t) = Pair(0.2f);
        using var _p = p; using var _t = t;
        using var s = full(new long[] { 1, 1, 4, 4 }, Scalars.Of((float)logVar)).requires_grad_();
        using var loss = UncertaintyLoss.Compute(p, t, s);
        loss.backward();
        Assert.Equal(sign, Math.Sign(s.grad!.sum().item<float>()));
        // ∂L/∂s per pixel = ½(1 − e²/σ²) / pixels
        double expected = 0.5 * (1 - 0.04 * Math.Exp(-logVar)) / 16;
        Assert.Equal(expected, s.grad![0, 0, 1, 2].item<float>(), 4);
    }

    [Fact]
    public void Weight_restricts_the_mean_to_the_kept_area()
    {
        var (p, t) = Pair(0.2f);
        using var _p = p; using var _t = t;
        p[.., .., .., 2..] = t[.., .., .., 2..] + Scalars.Of(0.3f); // a large error only in the dropped half
        using var s = zeros(1, 1, 4, 4);
        using var keep = zeros(1, 1, 4, 4);
        keep[.., .., .., ..2] = tensor(1f);
        using var masked = UncertaintyLoss.Compute(p, t, s, keep);
        Assert.Equal(0.5 * 0.04, masked.item<float>(), 4);
    }
}
