using HdrKit.Losses;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

public sealed class SemanticHistogramLossTests
{
    /// <summary>Two segments of a 4×4 image: left half and right half, one-hot, plus an empty (padding) mask.</summary>
    private static Tensor HalfMasks(long b = 1)
    {
        var left = torch.zeros(4, 4);
        left[TensorIndex.Colon, TensorIndex.Slice(0, 2)] = 1;
        return torch.stack([left, Scalars.Of(1) - left, torch.zeros(4, 4)]).unsqueeze(0).expand(b, 3, 4, 4).contiguous();
    }

    [Fact]
    public void BinCentresFollowEquation6()
    {
        var c = KdeHistogram.Centers(new KdeHistogramOptions(Bins: 4, Min: -1, Max: 1));
        Assert.Equal(new[] { -0.75f, -0.25f, 0.25f, 0.75f }, c.data<float>().ToArray());
    }

    [Fact]
    public void MatchesAHandComputationOnATinyCase()
    {
        // One channel, pixels 0.1 and 0.6; two bins at 0.25 and 0.75; bandwidth 0.25.
        var x = torch.tensor(new[] { 0.1f, 0.6f }, [1, 1, 1, 2]);
        var masks = torch.tensor(new[] { 1f, 0f, 0.5f, 1f }, [1, 2, 1, 2]);  // segment 0: pixel 0; segment 1: half of 0, all of 1
        var o = new KdeHistogramOptions(Bins: 2, Min: 0, Max: 1, Bandwidth: 0.25f);
        double[] Soft(double v)
        {
            double a = Math.Exp(-Math.Pow(v - 0.25, 2) / 0.0625), b = Math.Exp(-Math.Pow(v - 0.75, 2) / 0.0625);
            return [a / (a + b), b / (a + b)];
        }
        var p0 = Soft(0.1); var p1 = Soft(0.6);
        var counts = KdeHistogram.Compute(x, masks, o, density: false).data<float>().ToArray();
        double[] expected = [p0[0], p0[1], 0.5 * p0[0] + p1[0], 0.5 * p0[1] + p1[1]];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], counts[i], 5);
        var density = KdeHistogram.Compute(x, masks, o).data<float>().ToArray();
        for (int i = 2; i < 4; i++) Assert.Equal(expected[i] / 1.5, density[i], 5);
    }

    [Fact]
    public void SumsToTheMaskMassOrToOnePerSegment()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(51);
        var x = torch.rand([2, 3, 4, 4], generator: g) * Scalars.Of(1.4) - Scalars.Of(0.2);   // some values outside [min, max]
        var masks = HalfMasks(2);
        var counts = KdeHistogram.Compute(x, masks, new KdeHistogramOptions(Bins: 16), density: false).sum(-1);  // [B, K, C]
        TensorAssert.Close(torch.tensor(new[] { 8f, 8f, 0f }).reshape(1, 3, 1).expand(2, 3, 3), counts, 1e-4, "mass");
        var density = KdeHistogram.Compute(x, masks, new KdeHistogramOptions(Bins: 16)).sum(-1);
        TensorAssert.Close(torch.ones(2, 2, 3), density.narrow(1, 0, 2), 1e-5, "density");
        Assert.Equal(0f, density.narrow(1, 2, 1).abs().max().item<float>());
    }

    [Fact]
    public void ApproachesTheHardHistogramAsTheBandwidthShrinks()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(52);
        const int bins = 8;
        // Values within ±0.4 bin of a bin centre, so each has one unambiguous hard bin.
        var bin = torch.randint(0, bins, [1, 1, 20, 25], generator: g);
        var x = (bin.to(ScalarType.Float32) + Scalars.Of(0.5f) + (torch.rand([1, 1, 20, 25], generator: g) - Scalars.Of(0.5f)) * Scalars.Of(0.8f)) / Scalars.Of(bins);
        var hard = nn.functional.one_hot(bin.flatten(), bins).sum(dim: 0).to(ScalarType.Float32);
        var mask = torch.ones(1, 1, 20, 25);
        double previous = double.MaxValue;
        foreach (var bw in new[] { 0.3f, 0.1f, 0.05f, 0.02f, 0.001f })
        {
            var soft = KdeHistogram.Compute(x, mask, new KdeHistogramOptions(Bins: bins, Bandwidth: bw), density: false).flatten();
            double err = TensorAssert.MaxAbsDiff(hard, soft);
            Assert.True(err < previous || err < 1e-6, $"bandwidth {bw}: error {err} did not shrink from {previous}");
            previous = err;
        }
        Assert.True(previous < 1e-3, $"at bandwidth 0.001 the histogram is {previous} from the hard one");
    }

    [Fact]
    public void IsDifferentiable()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(53);
        var x = torch.rand([1, 3, 4, 4], generator: g).requires_grad_();
        var h = KdeHistogram.Compute(x, HalfMasks(), new KdeHistogramOptions(Bins: 8));
        (h * torch.arange(Scalars.Of(8)).to(ScalarType.Float32)).sum().backward();   // the histograms' mean bin
        Assert.True(torch.isfinite(x.grad!).all().item<bool>());
        Assert.True(x.grad!.gt(Scalars.Of(0)).all().item<bool>(), "raising a value must raise its histogram's mean");
    }

    [Fact]
    public void ColourLossIsZeroForIdenticalImagesAndGrowsWithAColourShift()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(54);
        var loss = new SemanticHistogramLoss();
        var img = torch.rand([2, 3, 4, 4], generator: g) * Scalars.Of(0.6) + Scalars.Of(0.2);
        var masks = HalfMasks(2);
        Assert.Equal(0f, loss.Compute(img, img.clone(), masks).item<float>());
        double previous = 0;
        foreach (var shift in new[] { 0.01f, 0.03f, 0.1f })
        {
            var shifted = img.clone();
            shifted[TensorIndex.Colon, 0] += Scalars.Of(shift);   // a red cast
            double v = loss.Compute(shifted, img, masks).item<float>();
            Assert.True(v > previous, $"shift {shift}: loss {v} did not grow from {previous}");
            previous = v;
        }
    }

    [Fact]
    public void ColourLossMatchesEquation9And10WrittenOut()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(55);
        var o = new KdeHistogramOptions(Bins: 8);
        var s = torch.rand([1, 3, 4, 4], generator: g);
        var t = torch.rand([1, 3, 4, 4], generator: g);
        var masks = HalfMasks();
        var hs = KdeHistogram.Compute(s, masks, o);
        var ht = KdeHistogram.Compute(t, masks, o);
        // Segments 0 and 1 are present, segment 2 is padding: (Hist_0 + Hist_1) / 2, Hist = 1/C Σ_c Σ_i (·)².
        double expected = 0;
        for (int k = 0; k < 2; k++) expected += (hs[0, k] - ht[0, k]).square().sum().item<float>() / 3;
        expected /= 2;
        Assert.Equal(expected, new SemanticHistogramLoss(o).Compute(s, t, masks).item<float>(), 6);
    }

    [Fact]
    public void MaskWeightingEqualsThePapersMaskedImagesForBinaryMasks()
    {
        // Eq. 10 histograms p_m ⊙ x over the whole image; the masked-out zeros are the same in student and
        // teacher, so the histogram differences — and the loss — equal the mask-weighted ones.
        using var scope = torch.NewDisposeScope();
        var g = new Generator(56);
        var o = new KdeHistogramOptions(Bins: 8);
        var s = torch.rand([1, 3, 4, 4], generator: g);
        var t = torch.rand([1, 3, 4, 4], generator: g);
        var masks = HalfMasks().narrow(1, 0, 2);
        var whole = torch.ones(1, 1, 4, 4);
        for (int k = 0; k < 2; k++)
        {
            var m = masks.narrow(1, k, 1);
            var literal = KdeHistogram.Compute(s * m, whole, o, density: false) - KdeHistogram.Compute(t * m, whole, o, density: false);
            var weighted = KdeHistogram.Compute(s, m, o, density: false) - KdeHistogram.Compute(t, m, o, density: false);
            TensorAssert.Close(literal, weighted, 1e-5, $"segment {k}");
        }
    }

    [Fact]
    public void TheTeacherIsATarget()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(57);
        var s = torch.rand([1, 3, 4, 4], generator: g).requires_grad_();
        var t = torch.rand([1, 3, 4, 4], generator: g).requires_grad_();
        new SemanticHistogramLoss().Compute(s, t, HalfMasks()).backward();
        Assert.True(s.grad is not null && s.grad.abs().sum().item<float>() > 0);
        Assert.Null(t.grad);
    }
}
