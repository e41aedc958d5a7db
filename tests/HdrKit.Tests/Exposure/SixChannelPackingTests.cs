using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using TorchSharp;

namespace HdrKit.Tests.Exposure;

public class SixChannelPackingTests
{
    [Theory]
    [InlineData(InputOrder.LinearFirst)]
    [InlineData(InputOrder.LdrFirst)]
    public void PacksLdrAndItsLinearisationPerExposure(InputOrder order)
    {
        using var scope = torch.NewDisposeScope();
        // 2×1 frames, channel c of pixel k = 0.1·(c+1) + 0.3·k (+0.2 for the second frame); 1.5 clips to 1.
        static FloatImage Frame(float offset) => new(2, 1, 3, [0.1f + offset, 0.4f + offset, 0.2f + offset, 0.5f + offset, 0.3f + offset, 1.5f]);
        var packed = SixChannelPacking.Pack([Frame(0), Frame(0.2f)], [1.0, 4.0], order);
        Assert.Equal(new long[] { 1, 2, 6, 1, 2 }, packed.shape);
        var (ldrAt, linearAt) = SixChannelPacking.Offsets(order);
        Assert.Equal(order == InputOrder.LdrFirst ? 0 : 3, ldrAt);
        var second = packed[0, 1];
        Assert.Equal(0.4f, second[ldrAt + 1, 0, 0].item<float>(), 6);
        Assert.Equal(MathF.Pow(0.4f, 2.2f) / 4, second[linearAt + 1, 0, 0].item<float>(), 6);
        Assert.Equal(MathF.Pow(0.1f, 2.2f), packed[0, 0, linearAt, 0, 0].item<float>(), 6);
        Assert.Equal(1.5f, second[ldrAt + 2, 0, 1].item<float>(), 6);
        Assert.Equal(1f / 4, second[linearAt + 2, 0, 1].item<float>(), 6);
        Assert.Throws<ArgumentException>(() => SixChannelPacking.Pack([Frame(0)], [1.0, 2.0], order));
    }
}
