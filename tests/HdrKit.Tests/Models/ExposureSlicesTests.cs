using HdrKit.Models.Blocks;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

public class ExposureSlicesTests
{
    [Theory]
    [InlineData(60, 3)]
    [InlineData(60, 7)]
    [InlineData(24, 5)]
    [InlineData(24, 7)]
    public void Slices_tile_the_channels_with_the_wider_ones_at_the_anchor(int channels, int n)
    {
        var s = ExposureSlices.For(channels, n);
        Assert.Equal(channels, s.Widths.Sum());
        Assert.True(s.Widths.Max() - s.Widths.Min() <= 1);
        Assert.Equal(s.Widths.Max(), s.Widths[s.Anchor]);
        for (int i = 1; i < n; i++) Assert.Equal(s.Offsets[i - 1] + s.Widths[i - 1], s.Offsets[i]);
    }

    [Fact]
    public void Uneven_fold_averages_the_channels_congruent_modulo_the_width()
    {
        // 5 channels, 2 exposures: widths 3 (anchor = exposure 1) and 2.
        var s = ExposureSlices.For(5, 2);
        Assert.Equal(new[] { 2, 3 }, s.Widths);
        using var x = arange(Scalars.Of(10), dtype: ScalarType.Float32).view(1, 2, 5, 1, 1);
        using var fused = s.Fuse(x);
        // exposure 0 (channels 0..4), width 2: j=0 → mean(0,2,4)=2, j=1 → mean(1,3)=2;
        // exposure 1 (channels 5..9), width 3: j=0 → mean(5,8)=6.5, j=1 → mean(6,9)=7.5, j=2 → 7.
        Assert.Equal(new[] { 2f, 2f, 6.5f, 7.5f, 7f }, fused.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Even_fold_is_the_reference_view_and_mean()
    {
        var s = ExposureSlices.For(6, 3);
        manual_seed(2);
        using var x = rand([2, 3, 6, 4, 4]);
        using var expected = x.view(2, 3, 3, 2, 4, 4).mean([2]).view(2, 6, 4, 4);
        using var fused = s.Fuse(x);
        TensorAssert.Exact(expected, fused, "uniform fuse");
    }

    [Fact]
    public void Folded_query_weight_equals_the_weight_applied_to_the_tiled_anchor()
    {
        var s = ExposureSlices.For(7, 3); // widths 2, 3, 2: anchor width 3, tiled 3+3+1
        manual_seed(4);
        using var w = randn(7, 7);
        using var anchor = randn(5, 3);
        using var tiled = cat([anchor, anchor, anchor.narrow(1, 0, 1)], 1);
        using var direct = nn.functional.linear(tiled, w);
        using var folded = nn.functional.linear(anchor, s.FoldQueryWeight(w));
        TensorAssert.Close(direct, folded, 1e-5, "folded query");
    }

    [Theory]
    [InlineData(60, 3, 12)]
    [InlineData(60, 5, 20)]
    [InlineData(60, 2, 6)]
    [InlineData(24, 5, 12)]
    [InlineData(24, 7, 12)]
    public void Heads_are_the_reference_where_they_divide_and_a_divisor_otherwise(int dim, int n, int heads)
    {
        Assert.Equal(heads, ChannelCrossAttention.HeadCount(dim, 4, n));
        Assert.Equal(0, dim % heads);
    }
}
