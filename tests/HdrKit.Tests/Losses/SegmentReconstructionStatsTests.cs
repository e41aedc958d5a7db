using HdrKit.Exposure;
using HdrKit.Losses;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

public class SegmentReconstructionStatsTests
{
    // Segment 0 (left half) exact, segment 1 (right half) off by 0.1 in μ-law, segment 2 absent.
    private static (Tensor Prediction, Tensor Truth, Tensor Segments) Scene()
    {
        var truth = full(new long[] { 1, 3, 8, 8 }, Scalars.Of(0.5f));
        var prediction = truth.clone();
        float off = MuLaw.Invert(MuLaw.Apply(0.5f) - 0.1f);
        prediction[.., .., .., 4..] = tensor(off);
        var segments = zeros(new long[] { 1, 1, 8, 8 }, dtype: ScalarType.Int64);
        segments[.., .., .., 4..] = tensor(1L);
        return (prediction, truth, segments);
    }

    [Fact]
    public void Per_segment_psnr_mu_and_counts()
    {
        var (p, t, s) = Scene();
        using var _p = p; using var _t = t; using var _s = s;
        using var stats = SegmentReconstructionStats.PsnrMu(p, t, s, segmentCount: 3);
        Assert.Equal(new long[] { 32, 32, 0 }, stats.Counts.data<long>().ToArray());
        var psnr = stats.PsnrMu.data<double>().ToArray();
        Assert.Equal(100, psnr[0], 6);   // exact: the MSE floor
        Assert.Equal(20, psnr[1], 3);    // MSE 0.01
        Assert.Equal(0, psnr[2]);
    }

    [Fact]
    public void Loss_weights_have_mean_one_and_favour_badly_reconstructed_segments()
    {
        var (p, t, s) = Scene();
        using var _p = p; using var _t = t; using var _s = s;
        using var stats = SegmentReconstructionStats.PsnrMu(p, t, s, segmentCount: 3);
        using var w = SegmentWeights.LossWeights(stats);
        var v = w.data<float>().ToArray();
        double e0 = Math.Exp(-0.1 * 100), e1 = Math.Exp(-0.1 * 20);
        Assert.Equal(2 * e0 / (e0 + e1), v[0], 5);
        Assert.Equal(2 * e1 / (e0 + e1), v[1], 5);
        Assert.Equal(0f, v[2]);
        Assert.Equal(1.0, (v[0] + v[1]) / 2, 6);
        Assert.True(v[1] > v[0]);

        using var pixel = SegmentWeights.ToPixelWeights(s, w);
        Assert.Equal(v[1], pixel[0, 0, 3, 7].item<float>());
    }

    [Fact]
    public void Mask_ratios_mask_well_reconstructed_segments_more()
    {
        using var psnr = tensor(new double[,] { { 40, 30, 0 }, { 25, 25, 25 } });
        using var counts = tensor(new long[,] { { 10, 10, 0 }, { 5, 5, 5 } });
        using var stats = new SegmentPsnr(psnr.clone(), counts.clone());
        using var r = SegmentWeights.MaskRatios(stats, 0.6);
        double e0 = Math.Exp(0.05 * 40), e1 = Math.Exp(0.05 * 30);
        Assert.Equal(0.6 * 2 * e0 / (e0 + e1), r[0, 0].item<float>(), 5);
        Assert.Equal(0.6 * 2 * e1 / (e0 + e1), r[0, 1].item<float>(), 5);
        Assert.Equal(0f, r[0, 2].item<float>());
        Assert.All(r[1].data<float>().ToArray(), x => Assert.Equal(0.6f, x, 6)); // equal PSNR: ratio r everywhere
    }
}
