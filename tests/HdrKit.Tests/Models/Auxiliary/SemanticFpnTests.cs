using HdrKit.Models.Auxiliary;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

public sealed class SemanticFpnTests
{
    [Fact]
    public void ReturnsTheRequestedLevelsAtOneWidthWithCeilSizes()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(21);
        using var fpn = new SemanticFpn([4, 6, 8, 10], 5, [2, 1, 0]);
        // A 17×23 image: levels ⌈17/s⌉ × ⌈23/s⌉.
        var levels = new[] { torch.randn([1, 4, 9, 12], generator: g), torch.randn([1, 6, 5, 6], generator: g),
            torch.randn([1, 8, 3, 3], generator: g), torch.randn([1, 10, 2, 2], generator: g) };
        var outs = fpn.forward(levels);
        Assert.Equal(new long[] { 1, 5, 3, 3 }, outs[0].shape);
        Assert.Equal(new long[] { 1, 5, 5, 6 }, outs[1].shape);
        Assert.Equal(new long[] { 1, 5, 9, 12 }, outs[2].shape);
    }

    [Fact]
    public void CoarseSemanticsReachTheFinestLevel()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(22);
        using var fpn = new SemanticFpn([2, 2, 2, 2], 3, [0]);
        var levels = new[] { torch.randn([1, 2, 8, 8], generator: g), torch.randn([1, 2, 4, 4], generator: g),
            torch.randn([1, 2, 2, 2], generator: g), torch.randn([1, 2, 1, 1], generator: g) };
        using var _ = torch.no_grad();
        var a = fpn.forward(levels)[0];
        levels[3] = levels[3] + Scalars.Of(1);
        Assert.True(TensorAssert.MaxAbsDiff(a, fpn.forward(levels)[0]) > 1e-4);
        Assert.Throws<ArgumentException>(() => new SemanticFpn([2, 2], 3, [2]));
    }
}
