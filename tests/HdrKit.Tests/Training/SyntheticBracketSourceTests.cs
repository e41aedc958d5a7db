using HdrKit.Models;
using HdrKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

public sealed class SyntheticBracketSourceTests
{
    private static readonly DataConfig Data = new() { PatchSize = 32, BatchSize = 2, BatchesPerEpoch = 4, MaxMotion = 2 };

    [Fact]
    public void BatchesArePureFunctionsOfEpochAndIndex()
    {
        var spec = new NetworkInputSpec(InputOrder.LinearFirst, null, 1);
        var a = new SyntheticBracketSource(Data, spec, 5).GetBatch(1, 2, torch.CPU);
        var b = new SyntheticBracketSource(Data, spec, 5).GetBatch(1, 2, torch.CPU);
        var c = new SyntheticBracketSource(Data, spec, 5).GetBatch(1, 3, torch.CPU);
        Assert.Equal(new long[] { 2, 3, 6, 32, 32 }, a.Input.shape);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, a.Target.shape);
        Assert.True(a.Input.SameAs(b.Input));
        Assert.True(a.Target.SameAs(b.Target));
        Assert.False(a.Target.SameAs(c.Target));
    }

    [Theory]
    [InlineData(InputOrder.LinearFirst)]
    [InlineData(InputOrder.LdrFirst)]
    public void ReferenceExposureFollowsTheCameraModelInTheSpecsChannelOrder(InputOrder order)
    {
        var batch = new SyntheticBracketSource(Data, new NetworkInputSpec(order, null, 1), 3).GetBatch(0, 0, torch.CPU);
        var reference = batch.Input[.., 1];                          // stop 0: t = 1
        var ldr = order == InputOrder.LdrFirst ? reference[.., ..3] : reference[.., 3..];
        var linear = order == InputOrder.LdrFirst ? reference[.., 3..] : reference[.., ..3];
        var gt = batch.Target;
        // 8-bit encoding of gt^(1/2.2), independent of GammaResponse.
        var expected = (gt.clamp(0, 1).pow(1 / 2.2) * 255).round() / 255;
        Assert.True((ldr - expected).abs().max().item<float>() < 1e-5);
        Assert.True((linear - ldr.pow(2.2)).abs().max().item<float>() < 1e-5);
        Assert.True(gt.min().item<float>() > 0 && gt.max().item<float>() <= 1f);
    }
}
