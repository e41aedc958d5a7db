using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Platform;

public class TorchSharpLoadsTests
{
    [Fact]
    public void Conv2dForwardBackwardAndAdamStepRun()
    {
        torch.manual_seed(1);
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        using var x = torch.randn(2, 3, 8, 8);
        using var opt = optim.Adam(conv.parameters(), lr: 0.1);
        var before = conv.weight!.detach().clone();
        using var y = conv.forward(x);
        Assert.Equal(new long[] { 2, 4, 8, 8 }, y.shape);
        using var loss = y.square().mean();
        loss.backward();
        Assert.NotNull(conv.weight!.grad);
        Assert.True(conv.weight.grad!.abs().sum().item<float>() > 0f);
        opt.step();
        Assert.False(torch.allclose(before, conv.weight.detach()));
    }

    [Fact]
    public void ConvMatchesHandComputedValue()
    {
        // A 3x3 all-ones kernel on a ramp: the centre output is the sum of the 3x3 neighbourhood.
        using var x = torch.arange(Scalars.Of(25), dtype: ScalarType.Float32).reshape(1, 1, 5, 5);
        using var w = torch.ones(1, 1, 3, 3);
        using var y = nn.functional.conv2d(x, w);
        // neighbourhood of (2,2): rows 1..3, cols 1..3 of 0..24 → sum = 9 * 12
        Assert.Equal(108f, y[0, 0, 1, 1].item<float>());
    }
}
