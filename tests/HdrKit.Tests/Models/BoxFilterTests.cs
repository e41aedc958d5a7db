using HdrKit.Models.Blocks;
using HdrKit.Util;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Tests.Models;

/// <summary>The gates' box filters against libtorch's pooling (an independent implementation of the same windows).</summary>
public class BoxFilterTests
{
    // Sides that are not powers of two, one narrower than the largest window, so border windows of every shape occur.
    private static Tensor Input() => rand([2, 3, 37, 11], generator: new Generator(7));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Mean_equals_average_pooling_over_the_pixels_inside_the_image(int radius)
    {
        using var scope = NewDisposeScope();
        var x = Input();
        int k = 2 * radius + 1;
        var expected = F.avg_pool2d(x, [k, k], [1, 1], [radius, radius], count_include_pad: false);
        var actual = BoxFilter.Mean(x, radius);
        Assert.Equal(x.shape, actual.shape);
        Assert.True((actual - expected).abs().max().item<float>() < 1e-6f);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Max_equals_max_pooling(int radius)
    {
        using var scope = NewDisposeScope();
        var x = Input() - Scalars.Of(0.5);
        int k = 2 * radius + 1;
        var expected = F.max_pool2d(x, [k, k], [1, 1], [radius, radius]);
        var actual = BoxFilter.Max(x, radius);
        Assert.Equal(x.shape, actual.shape);
        Assert.Equal(0f, (actual - expected).abs().max().item<float>());
    }
}
