using HdrKit.Imaging;
using HdrKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Metrics;

/// <summary>Hand-computable cases and argument checks.</summary>
public class MetricsTests
{
    private static FloatImage Constant(int w, int h, int c, float v)
    {
        var img = new FloatImage(w, h, c);
        Array.Fill(img.Data, v);
        return img;
    }

    private static FloatImage Random(int w, int h, int c, int seed)
    {
        var rng = new Random(seed);
        var img = new FloatImage(w, h, c);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)rng.NextDouble();
        return img;
    }

    [Fact]
    public void PsnrOfAUniformErrorOfPointOneIsTwentyDecibels()
    {
        // MSE = 0.01 → 10·log10(1/0.01) = 20 dB; 0.25 and 0.35 are exact enough in float for 1e-4 dB.
        var a = Constant(16, 12, 3, 0.25f);
        var b = Constant(16, 12, 3, 0.35f);
        Assert.Equal(20.0, Psnr.Compute(a, b), 1e-4);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(20.0, Psnr.Compute(a.ToTensor(), b.ToTensor()).item<double>(), 1e-4);
    }

    [Fact]
    public void PsnrOfIdenticalImagesIsInfinite()
    {
        var a = Random(16, 12, 3, 1);
        Assert.Equal(double.PositiveInfinity, Psnr.Compute(a, a.Clone()));
    }

    [Fact]
    public void SsimOfConstantImagesIsTheLuminanceTerm()
    {
        // Zero variance leaves (2ab + C1)/(a² + b² + C1) with C1 = 0.01²: 0.3001/0.3401 for a = 0.3, b = 0.5.
        var a = Constant(20, 15, 3, 0.3f);
        var b = Constant(20, 15, 3, 0.5f);
        double expected = (2 * 0.3 * 0.5 + 1e-4) / (0.09 + 0.25 + 1e-4);
        Assert.Equal(expected, Ssim.Compute(a, b), 1e-6);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(expected, Ssim.Compute(a.ToTensor(), b.ToTensor()).item<float>(), 1e-6);
    }

    [Fact]
    public void SsimOfAnImageWithItselfIsOneAndLowerForNoise()
    {
        var a = Random(32, 24, 3, 2);
        Assert.Equal(1.0, Ssim.Compute(a, a.Clone()), 1e-12);
        Assert.True(Ssim.Compute(a, Random(32, 24, 3, 3)) < 0.1);
    }

    [Theory]
    [InlineData(30, 25)]
    [InlineData(41, 33)]
    public void SsimAveragesOnlyPixelsWhoseWindowFitsInside(int width, int height)
    {
        // A flat image with one changed corner pixel: only the kept window centred at (5,5) sees it, so the loss
        // (1 − SSIM)·(W−10)(H−10) is the same for every image size. Averaging over all pixels, or padding the
        // border instead of dropping it, breaks that.
        static double Loss(int w, int h)
        {
            var a = Constant(w, h, 1, 0.5f);
            var b = a.Clone();
            b[0, 0, 0] = 0.9f;
            return (1 - Ssim.Compute(a, b)) * (w - 10) * (h - 10);
        }
        double reference = Loss(20, 20);
        Assert.True(reference > 1e-6);
        Assert.Equal(reference, Loss(width, height), 1e-9);
    }

    [Fact]
    public void SsimIsTheMeanOverChannels()
    {
        var a = Random(24, 20, 3, 5);
        var b = Random(24, 20, 3, 6);
        var perChannel = Ssim.PerChannel(a, b);
        Assert.Equal(3, perChannel.Length);
        Assert.Equal(perChannel.Average(), Ssim.Compute(a, b), 1e-15);
        for (int c = 0; c < 3; c++)
        {
            var ac = new FloatImage(24, 20, 1, a.Plane(c).ToArray());
            var bc = new FloatImage(24, 20, 1, b.Plane(c).ToArray());
            Assert.Equal(Ssim.Compute(ac, bc), perChannel[c], 1e-15);
        }
    }

    [Fact]
    public void ClipPolicyIgnoresRadianceAboveOneAndNormalizeCountsIt()
    {
        var gt = Random(20, 16, 3, 7);
        var pred = gt.Clone();
        gt[0, 8, 8] = 3f;  // a highlight the prediction saturates at 1
        pred[0, 8, 8] = 1f;
        var clip = HdrEvaluation.Evaluate(pred, gt, RangePolicy.Clip);
        Assert.Equal(double.PositiveInfinity, clip.PsnrL);
        Assert.Equal(1.0, clip.SsimMu, 1e-12);
        var normalized = HdrEvaluation.Evaluate(pred, gt, RangePolicy.NormalizeByGroundTruthMax);
        Assert.True(double.IsFinite(normalized.PsnrL) && normalized.SsimL < 1.0);
    }

    [Fact]
    public void NanInThePredictionMakesTheMetricsNan()
    {
        var gt = Random(20, 16, 3, 8);
        var pred = gt.Clone();
        pred[1, 7, 9] = float.NaN;
        var m = HdrEvaluation.Evaluate(pred, gt);
        Assert.True(double.IsNaN(m.PsnrMu) && double.IsNaN(m.PsnrL) && double.IsNaN(m.SsimMu) && double.IsNaN(m.SsimL));
    }

    [Fact]
    public void MismatchedImagesAreRejectedWithTheArgumentNamed()
    {
        var a = Random(20, 16, 3, 9);
        var e = Assert.Throws<ArgumentException>(() => HdrEvaluation.Evaluate(a, Random(20, 17, 3, 9)));
        Assert.Equal("prediction", e.ParamName);
        Assert.Contains("20x16", e.Message);
        Assert.Throws<ArgumentException>(() => Ssim.Compute(a, Random(20, 16, 1, 9)));
        Assert.Throws<ArgumentException>(() => Psnr.Compute(a, Random(21, 16, 3, 9)));
        Assert.Throws<ArgumentException>(() => Ssim.Compute(Random(10, 16, 3, 9), Random(10, 16, 3, 9)));

        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => HdrEvaluation.Evaluate(torch.zeros(2, 3, 16, 16), torch.zeros(2, 3, 16, 17)));
        Assert.Throws<ArgumentException>(() => Ssim.Compute(torch.zeros(3, 16), torch.zeros(3, 16)));
        Assert.Throws<ArgumentException>(() => Psnr.Compute(torch.zeros(1, 3, 16, 16, ScalarType.Int32), torch.zeros(1, 3, 16, 16, ScalarType.Int32)));
    }

    [Fact]
    public void SceneMeansAverageEachMetric()
    {
        var mean = HdrMetrics.Mean([new HdrMetrics(40, 38, 0.99, 0.97), new HdrMetrics(44, 41, 0.98, 0.95)]);
        Assert.Equal(new HdrMetrics(42, 39.5, 0.985, 0.96).ToString(), mean.ToString());
        Assert.Equal(42, mean.PsnrMu, 1e-12);
        Assert.Equal(0.96, mean.SsimL, 1e-12);
        Assert.Throws<ArgumentException>(() => HdrMetrics.Mean(Array.Empty<HdrMetrics>()));
    }
}
