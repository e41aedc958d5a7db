using HdrKit.Models.Auxiliary;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

public sealed class PriorFusionBlockTests
{
    [Theory]
    [InlineData(1, 8, 2, 5, 7)]
    [InlineData(2, 12, 3, 16, 16)]
    [InlineData(1, 4, 1, 1, 9)]
    public void KeepsTheFeatureShape(int b, int c, int heads, int h, int w)
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(11);
        using var pfb = new PriorFusionBlock(c, heads);
        var y = pfb.forward(torch.randn([b, c, h, w], generator: g), torch.randn([b, c, h, w], generator: g));
        Assert.Equal(new long[] { b, c, h, w }, y.shape);
        Assert.Equal(new long[] { heads, 1, 1 }, pfb.Temperature.shape);
    }

    [Fact]
    public void TemperatureIsLearnedAndSharpensTheAttention()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(12);
        using var pfb = new PriorFusionBlock(8, 2);
        var f = torch.randn([1, 8, 6, 6], generator: g);
        var p = torch.randn([1, 8, 6, 6], generator: g);
        pfb.forward(f, p).square().sum().backward();
        var grad = pfb.Temperature.grad;
        Assert.True(grad is not null && torch.isfinite(grad).all().item<bool>());
        Assert.True(grad!.abs().min().item<float>() > 0, "a head's temperature got no gradient");

        using var _ = torch.no_grad();
        var before = pfb.forward(f, p);
        pfb.Temperature.mul_(Scalars.Of(10));
        Assert.True(TensorAssert.MaxAbsDiff(before, pfb.forward(f, p)) > 1e-4);
    }

    [Fact]
    public void MatchesTheFormulaWrittenOut()
    {
        // Eq. 4 with Restormer's conventions, written with functional ops on the block's own weights.
        using var scope = torch.NewDisposeScope();
        var g = new Generator(13);
        using var pfb = new PriorFusionBlock(4, 2);
        using var _ = torch.no_grad();
        foreach (var prm in pfb.parameters()) prm.copy_(torch.randn(prm.shape, generator: g) * Scalars.Of(0.5));
        var f = torch.randn([1, 4, 3, 5], generator: g);
        var p = torch.randn([1, 4, 3, 5], generator: g);
        var sd = pfb.state_dict();
        Tensor Ln(Tensor x, string n) => nn.functional.layer_norm(x.permute(0, 2, 3, 1), [4], sd[$"{n}.weight"], sd[$"{n}.bias"], 1e-5).permute(0, 3, 1, 2);
        var q = nn.functional.conv2d(nn.functional.conv2d(Ln(p, "norm_prior"), sd["q.weight"]), sd["q_dw.weight"], padding: [1, 1], groups: 4);
        var kv = nn.functional.conv2d(nn.functional.conv2d(Ln(f, "norm_feature"), sd["kv.weight"]), sd["kv_dw.weight"], padding: [1, 1], groups: 8);
        var expected = torch.zeros_like(f);
        for (int head = 0; head < 2; head++)
        {
            var qh = q[0, TensorIndex.Slice(2 * head, 2 * head + 2)].reshape(2, 15);
            var kh = kv[0, TensorIndex.Slice(2 * head, 2 * head + 2)].reshape(2, 15);
            var vh = kv[0, TensorIndex.Slice(4 + 2 * head, 4 + 2 * head + 2)].reshape(2, 15);
            qh = qh / qh.norm(1, keepdim: true);
            kh = kh / kh.norm(1, keepdim: true);
            var attn = (qh.matmul(kh.t()) * sd["temperature"][head]).softmax(-1);
            expected[0, TensorIndex.Slice(2 * head, 2 * head + 2)] = attn.matmul(vh).reshape(2, 3, 5);
        }
        expected = nn.functional.conv2d(expected, sd["project_out.weight"]) + f;
        TensorAssert.Close(expected, pfb.forward(f, p), 1e-5, "PFB");
    }
}
