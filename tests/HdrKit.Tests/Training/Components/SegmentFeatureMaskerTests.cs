using HdrKit.Models;
using HdrKit.Training.Components;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Components;

public class SegmentFeatureMaskerTests
{
    // [2,1,32,32]: image 0 has vertical stripes of widths 8, 8, 16 (ids 0, 1, 2); image 1 horizontal ones.
    private static Tensor Stripes()
    {
        var s = zeros(new long[] { 2, 1, 32, 32 }, dtype: ScalarType.Int64);
        s[0, 0, .., 8..16] = tensor(1L);
        s[0, 0, .., 16..] = tensor(2L);
        s[1, 0, 8..16, ..] = tensor(1L);
        s[1, 0, 16.., ..] = tensor(2L);
        return s;
    }

    [Fact]
    public void Each_segment_loses_exactly_its_ratio_of_pixels()
    {
        using var masker = new SegmentFeatureMasker(seed: 7);
        using var segments = Stripes();
        using var ratios = tensor(new double[,] { { 0.2, 0.5, 0.9 }, { 0, 1.0, 1.5 } });
        using var keep = masker.KeepMap(segments, ratios);
        int[] counts = [256, 256, 512];
        for (int b = 0; b < 2; b++)
            for (int s = 0; s < 3; s++)
            {
                using var inSegment = segments[b].eq(Scalars.Of(s));
                long zeroed = (long)(Scalars.Of(1) - keep[b].masked_select(inSegment)).sum().item<double>();
                double expected = Math.Round(Math.Min(ratios[b, s].item<double>(), 1) * counts[s]);
                Assert.Equal((long)expected, zeroed);
            }
    }

    [Fact]
    public void Masks_are_random_within_segments_and_reproducible_from_the_seed_and_state()
    {
        using var segments = Stripes();
        using var ratios = full(new long[] { 2, 3 }, Scalars.Of(0.5), dtype: ScalarType.Float64);
        using var a = new SegmentFeatureMasker(seed: 3);
        using var b = new SegmentFeatureMasker(seed: 3);
        using var state = a.GetGeneratorState();
        using var first = a.KeepMap(segments, ratios);
        using var second = a.KeepMap(segments, ratios);
        Assert.True(TensorAssert.MaxAbsDiff(first, second) > 0, "two draws gave the same mask");
        using var same = b.KeepMap(segments, ratios);
        TensorAssert.Exact(first, same, "same seed");
        a.SetGeneratorState(state);
        using var replay = a.KeepMap(segments, ratios);
        TensorAssert.Exact(first, replay, "restored generator state");
    }

    [Fact]
    public void Segment_branch_zeroes_whole_pixels_along_segment_borders_at_the_feature_scale()
    {
        using var masker = new SegmentFeatureMasker(seed: 1, segmentProbability: 1);
        using var segments = zeros(new long[] { 1, 1, 32, 32 }, dtype: ScalarType.Int64);
        segments[0, 0, .., 16..] = tensor(1L);
        using var ratios = tensor(new double[,] { { 0, 1 } });
        masker.SetBatch(segments, ratios);
        manual_seed(2);
        using var features = rand([1, 4, 16, 16]) + Scalars.Of(0.1); // half the segments' resolution, no zeros of its own
        using var masked = masker.Mask(features, group: 0);
        Assert.Equal(MaskBranch.Segment, masker.LastBranch);
        TensorAssert.Exact(features[.., .., .., ..8], masked[.., .., .., ..8], "segment with ratio 0");
        Assert.Equal(0f, masked[.., .., .., 8..].abs().max().item<float>());

        // A random half of one segment: zeros are whole pixels (all channels), the rest untouched.
        using var half = tensor(new double[,] { { 0.5, 0.5 } });
        masker.SetBatch(segments, half);
        using var m = masker.Mask(features, group: 1);
        using var zero = m.eq(Scalars.Of(0));
        TensorAssert.Exact(zero[.., 0..1].expand_as(zero), zero, "zeros are the same in every channel");
        Assert.Equal(128L, zero[0, 0].sum().item<long>());
        TensorAssert.Exact(features.masked_select(zero.logical_not()), m.masked_select(zero.logical_not()), "kept values");
    }

    [Fact]
    public void Branches_are_drawn_at_the_paper_probability()
    {
        using var masker = new SegmentFeatureMasker(seed: 11);
        masker.SetUniform(batchSize: 1, ratio: 0.5);
        using var features = ones(1, 2, 2, 2);
        int segment = 0;
        const int calls = 2000;
        for (int i = 0; i < calls; i++)
        {
            using var _ = masker.Mask(features, 0);
            if (masker.LastBranch == MaskBranch.Segment) segment++;
            else Assert.Equal(MaskBranch.Activation, masker.LastBranch);
        }
        // Binomial sd at p = 0.75, n = 2000 is ~0.0097: ±0.04 is four sd.
        Assert.InRange(segment / (double)calls, 0.71, 0.79);
    }

    [Fact]
    public void Activation_branch_multiplies_by_the_sigmoid_of_the_channel_mean()
    {
        using var masker = new SegmentFeatureMasker(seed: 5, segmentProbability: 0);
        masker.SetUniform(batchSize: 2, ratio: 0.3);
        manual_seed(9);
        using var features = randn([2, 3, 4, 4]);
        using var masked = masker.Mask(features, 0);
        Assert.Equal(MaskBranch.Activation, masker.LastBranch);
        using var expected = features * sigmoid(features.mean([1], keepdim: true));
        TensorAssert.Close(expected, masked, 1e-7, "ADL map");
    }

    [Fact]
    public void Batch_set_inside_a_dispose_scope_stays_valid()
    {
        using var masker = new SegmentFeatureMasker(seed: 8, segmentProbability: 1);
        using (var scope = NewDisposeScope())
            masker.SetBatch(zeros(new long[] { 1, 4, 4 }, dtype: ScalarType.Int64), full(new long[] { 1, 1 }, Scalars.Of(1.0)));
        using var features = ones(1, 2, 4, 4);
        using var masked = masker.Mask(features, 0);
        Assert.Equal(0f, masked.abs().max().item<float>());
    }

    [Fact]
    public void Zero_ratio_or_no_batch_masks_nothing()
    {
        using var masker = new SegmentFeatureMasker(seed: 5);
        using var features = rand([1, 3, 4, 4]);
        using (var unset = masker.Mask(features, 0)) TensorAssert.Exact(features, unset, "no batch");
        Assert.Equal(MaskBranch.None, masker.LastBranch);
        masker.SetUniform(1, 0);
        using (var zero = masker.Mask(features, 0)) TensorAssert.Exact(features, zero, "ratio 0");
        Assert.Equal(MaskBranch.None, masker.LastBranch);
    }

    [Fact]
    public void SmNet_is_masked_in_training_and_untouched_in_eval()
    {
        manual_seed(4);
        using var net = (SmNet)ModelRegistry.Create("smnet-small");
        using var masker = new SegmentFeatureMasker(seed: 2, segmentProbability: 1);
        using var x = rand([1, 3, 6, 16, 16]);
        using var segments = zeros(new long[] { 1, 1, 16, 16 }, dtype: ScalarType.Int64);
        segments[0, 0, 8.., ..] = tensor(1L);
        using var ratios = tensor(new double[,] { { 0.9, 0.9 } });
        net.eval();
        using var noGrad = no_grad();
        using var plain = net.forward(x);
        net.FeatureMasker = masker;
        masker.SetBatch(segments, ratios);
        using var evalOut = net.forward(x);
        TensorAssert.Exact(plain, evalOut, "eval with the masker installed");
        Assert.Equal(MaskBranch.None, masker.LastBranch);
        net.train();
        using var trainOut = net.forward(x);
        Assert.Equal(MaskBranch.Segment, masker.LastBranch);
        Assert.True(TensorAssert.MaxAbsDiff(plain, trainOut) > 1e-5, "masking 90 % of the features changed nothing");
    }
}
