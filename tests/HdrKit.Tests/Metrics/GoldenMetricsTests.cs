using HdrKit.Imaging;
using HdrKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Metrics;

/// <summary>Both implementations against scikit-image 0.19 on the committed fixtures.</summary>
public class GoldenMetricsTests
{
    public static TheoryData<string, RangePolicy> Cases()
    {
        var data = new TheoryData<string, RangePolicy>();
        foreach (var name in MetricFixtures.Names)
        {
            data.Add(name, RangePolicy.Clip);
            data.Add(name, RangePolicy.NormalizeByGroundTruthMax);
        }
        return data;
    }

    private static string Key(RangePolicy policy) => policy == RangePolicy.Clip ? "clip" : "normalize";

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImagePathMatchesScikitImage(string name, RangePolicy policy)
    {
        var pair = MetricFixtures.Load(name);
        var actual = HdrEvaluation.Evaluate(pair.Prediction, pair.GroundTruth, policy);
        MetricFixtures.AssertClose(MetricFixtures.Expected(pair, Key(policy)), actual, $"{name}/{Key(policy)}");
    }

    [Theory]
    [InlineData(RangePolicy.Clip)]
    [InlineData(RangePolicy.NormalizeByGroundTruthMax)]
    public void TensorPathMatchesScikitImagePerImageOfABatch(RangePolicy policy)
    {
        var pairs = MetricFixtures.Names.Select(MetricFixtures.Load).ToArray();
        using var scope = torch.NewDisposeScope();
        var pred = torch.stack(pairs.Select(p => p.Prediction.ToTensor()));
        var gt = torch.stack(pairs.Select(p => p.GroundTruth.ToTensor()));

        var actual = HdrEvaluation.Evaluate(pred, gt, policy);

        Assert.Equal(pairs.Length, actual.Length);
        for (int i = 0; i < pairs.Length; i++)
            MetricFixtures.AssertClose(MetricFixtures.Expected(pairs[i], Key(policy)), actual[i], $"{pairs[i].Name}/{Key(policy)} tensor");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void RawMetricsMatchScikitImageWithoutClipping(string name)
    {
        var pair = MetricFixtures.Load(name);
        var raw = pair.Expected.GetProperty("raw");
        double psnr = raw.GetProperty("psnr_l").GetDouble(), ssim = raw.GetProperty("ssim_l").GetDouble();

        Assert.Equal(psnr, Psnr.Compute(pair.Prediction, pair.GroundTruth), MetricFixtures.PsnrTolerance);
        Assert.Equal(ssim, Ssim.Compute(pair.Prediction, pair.GroundTruth), MetricFixtures.SsimTolerance);

        using var scope = torch.NewDisposeScope();
        var p = pair.Prediction.ToTensor();
        var g = pair.GroundTruth.ToTensor();
        Assert.Equal(psnr, Psnr.Compute(p, g).item<double>(), MetricFixtures.PsnrTolerance);
        Assert.Equal(ssim, Ssim.Compute(p, g).to(ScalarType.Float64).item<double>(), MetricFixtures.SsimTolerance);
    }

    public static TheoryData<string> Names() => new(MetricFixtures.Names);
}
