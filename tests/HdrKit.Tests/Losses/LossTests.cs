using HdrKit.Losses;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

public sealed class LossTests
{
    private static Tensor Image(params float[] v) => torch.tensor(v, new long[] { 1, 1, 2, 2 });

    [Fact]
    public void WeightedL1IsNormalisedByTheWeightMass()
    {
        var a = Image(1, 2, 3, 4);
        var b = torch.zeros(1, 1, 2, 2);
        Assert.Equal(2.5f, WeightedL1.Mean(a, b, null).item<float>());
        Assert.Equal(2.5f, WeightedL1.Mean(a, b, Image(1, 0, 0, 1)).item<float>());       // (1 + 4) / 2
        Assert.Equal(8f / 3, WeightedL1.Mean(a, b, Image(0, 1, 2, 0)).item<float>(), 6);   // (1·2 + 2·3) / 3
    }

    [Fact]
    public void FullyMaskedLossIsZeroWithFiniteGradient()
    {
        var a = torch.rand(1, 3, 4, 4).requires_grad_();
        var loss = WeightedL1.Mean(a, torch.zeros(1, 3, 4, 4), torch.zeros(1, 1, 4, 4));
        loss.backward();
        Assert.Equal(0f, loss.item<float>());
        Assert.True(torch.isfinite(a.grad!).all().item<bool>());
    }

    [Fact]
    public void MuLawL1ComparesTonemappedValues()
    {
        float Tonemap(float h) => (float)(Math.Log(1 + 5000.0 * h) / Math.Log(5001.0));
        var pred = torch.tensor(new float[] { 0.001f, 0.5f, 0.02f }, new long[] { 1, 3, 1, 1 });
        var gt = torch.tensor(new float[] { 0.002f, 0.25f, 0.02f }, new long[] { 1, 3, 1, 1 });
        float expected = (Math.Abs(Tonemap(0.001f) - Tonemap(0.002f)) + Math.Abs(Tonemap(0.5f) - Tonemap(0.25f))) / 3;
        var loss = new MuLawL1Loss().Compute(new LossInputs(pred, gt));
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void SegmentWeightsSpreadOverTheirPixels()
    {
        var segments = torch.tensor(new long[] { 0, 1, 1, 2, 2, 0, 0, 0 }, new long[] { 2, 1, 2, 2 });
        var weights = torch.tensor(new float[] { 0.5f, 2, 3, 1, 1, 7 }, new long[] { 2, 3 });
        var pixels = SegmentWeights.ToPixelWeights(segments, weights);
        Assert.Equal(new float[] { 0.5f, 2, 2, 3, 7, 1, 1, 1 }, pixels.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => SegmentWeights.ToPixelWeights(segments, torch.ones(2, 2)));
    }

    [Fact]
    public void CompositeLossWeighsItsTerms()
    {
        var pred = torch.full(1, 3, 2, 2, Scalars.Of(0.5f));
        var gt = torch.full(1, 3, 2, 2, Scalars.Of(0.25f));
        using var loss = new CompositeLoss().Add(new MaskedL1Loss(), 2.0).Add(new MuLawL1Loss(), 0.0);
        var r = loss.Compute(new LossInputs(pred, gt));
        Assert.Equal(0.5f, r.Total.item<float>(), 6);
        Assert.Equal(0.25f, r.Terms["linear_l1"].item<float>(), 6);
        Assert.True(r.Terms["mu_l1"].item<float>() > 0);
        Assert.Throws<ArgumentException>(() => loss.Add(new MaskedL1Loss()));
    }

    [Fact]
    public void HighlightL1AveragesOverTheTargetsHighlightsOnly()
    {
        // Two of four pixels reach the threshold in some channel: errors 0.2 and 0.4 there, 1.0 elsewhere (ignored).
        var gt = torch.tensor(new float[] { 0.5f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.3f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f }).view(1, 3, 2, 2);
        var pred = gt + torch.tensor(new float[] { 0.2f, 1.0f, -0.4f, 1.0f }).view(1, 1, 2, 2);
        using var loss = new HighlightL1Loss(0.25);
        Assert.Equal(0.3f, loss.Compute(new LossInputs(pred, gt)).item<float>(), 5);
        // The pixel weight still applies: weight 0 on the first highlight leaves the second's error.
        var weight = torch.tensor(new float[] { 0, 1, 1, 1 }).view(1, 1, 2, 2); // pixel (0, 0) off
        Assert.Equal(0.4f, loss.Compute(new LossInputs(pred, gt, weight)).item<float>(), 5);
        // No highlight: 0, not NaN.
        Assert.Equal(0f, loss.Compute(new LossInputs(pred, gt * Scalars.Of(0.1f))).item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HighlightL1Loss(0));
    }
}
