using HdrKit.Models;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>
/// Each network against the authors' PyTorch code (golden vectors in ../shared/parity): built from the
/// file's config, its released-format weights loaded strictly by name, same input, same output.
/// </summary>
public class ParityTests
{
    private const double Tolerance = 1e-4;

    private static void Report(string model, double diff)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{model}: max |diff| vs reference = {diff:g4}");
        Assert.True(diff <= Tolerance, $"{model}: max |diff| {diff:g4} > {Tolerance}");
    }

    private static Tensor StackThree(ParityFile p) => stack([p["in.x1"], p["in.x2"], p["in.x3"]], 1);

    [Fact]
    public void AhdrNet_matches_reference()
    {
        using var p = new ParityFile("ahdr_parity.safetensors");
        var cfg = p.Config();
        using var net = new AhdrNet(new AhdrNet.Config(int.Parse(cfg["nFeat"]), int.Parse(cfg["nDenselayer"]), int.Parse(cfg["growthRate"])));
        Assert.Equal(p.ChannelOrder(), net.InputSpec.Order);
        Assert.Equal(p.ParamCount, net.ParameterCount());
        using var input = StackThree(p);
        Report("AHDRNet", p.MaxDiff(net, input));
    }

    [Fact]
    public void HdrTransformer_matches_reference()
    {
        using var p = new ParityFile("hdrt_parity.safetensors");
        var cfg = p.Config();
        var heads = ParityFile.IntList(cfg["num_heads"]).Distinct().Single();
        using var net = new HdrTransformer(new HdrTransformer.Config(int.Parse(cfg["embed_dim"]), ParityFile.IntList(cfg["depths"]),
            heads, int.Parse(cfg.GetValueOrDefault("window_size", "8")), double.Parse(cfg["mlp_ratio"])));
        Assert.Equal(p.ChannelOrder(), net.InputSpec.Order);
        Assert.Equal(p.ParamCount, net.ParameterCount());
        using var input = StackThree(p);
        Report("HDR-Transformer", p.MaxDiff(net, input));
    }

    [Fact]
    public void SmNet_matches_reference()
    {
        using var p = new ParityFile("smnet_parity.safetensors");
        var cfg = p.Config();
        var heads = ParityFile.IntList(cfg["num_heads"]).Distinct().Single();
        using var net = new SmNet(new SmNet.Config(int.Parse(cfg["embed_dim"]), ParityFile.IntList(cfg["depths"]),
            heads, int.Parse(cfg["window_size"]), double.Parse(cfg["mlp_ratio"])));
        Assert.Equal(p.ChannelOrder(), net.InputSpec.Order);
        Assert.Equal(p.ParamCount, net.ParameterCount());
        // The reference takes the exposures concatenated along channels: [B, n·6, H, W].
        var x = p["in.x"];
        using var input = x.view(x.shape[0], x.shape[1] / 6, 6, x.shape[2], x.shape[3]);
        Report("SMNet", p.MaxDiff(net, input));
    }
}
