using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Tests.Platform;

public class ConvolutionSelfCheckTests
{
    [Fact]
    public void RanAtLoadAndLeftAConvolutionThatAgreesWithFloat64()
    {
        var result = ConvolutionSelfCheck.Result;
        Assert.NotNull(result);
        double error = ConvolutionSelfCheck.ProbeError();
        Assert.True(error <= ConvolutionSelfCheck.Tolerance, $"probe convolution still off by {error:E2} ({result!.Describe()})");
    }

    [Fact]
    public void A_network_sized_convolution_agrees_with_float64()
    {
        // A different shape from the probe's: 60 channels as in the Swin models' first conv, odd size, stride 1.
        _ = ConvolutionSelfCheck.Result; // HdrKit's module initializer must have run, as it does for any HdrKit user
        using var scope = torch.NewDisposeScope();
        var g = new Generator(7);
        var x = torch.randn([1, 18, 37, 53], generator: g);
        var w = torch.randn([60, 18, 3, 3], generator: g) * Scalars.Of(0.1);
        var single = F.conv2d(x, w, padding: [1, 1]);
        var reference = F.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), padding: [1, 1]);
        double err = (single.to(ScalarType.Float64) - reference).abs().max().item<double>() / reference.abs().max().item<double>();
        Assert.True(err < 1e-5, $"relative error {err:E2}");
    }
}
