using HdrKit.Models.Blocks;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>The shared blocks' shortcuts against the straightforward formulation the references use.</summary>
public class BlockTests
{
    /// <summary>Swin's roll → window_partition, written with tensor ops as in the reference.</summary>
    private static Tensor ReferencePartition(Tensor x, int ws, int shift)
    {
        long b = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3];
        var rolled = shift > 0 ? x.roll([-shift, -shift], [1, 2]) : x;
        return rolled.view(b, h / ws, ws, w / ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(b, -1, ws * ws, c);
    }

    /// <summary>Swin's calculate_mask: region ids by slices of the rolled grid, −100 across regions.</summary>
    private static Tensor ReferenceMask(long h, long w, int ws, int shift)
    {
        var img = zeros(1, h, w, 1);
        long[][] bounds = [[0, h - ws, h - shift, h], [0, w - ws, w - shift, w]];
        int cnt = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++, cnt++)
                img[TensorIndex.Colon, TensorIndex.Slice(bounds[0][i], bounds[0][i + 1]), TensorIndex.Slice(bounds[1][j], bounds[1][j + 1]), TensorIndex.Colon] = cnt;
        var windows = ReferencePartition(img, ws, 0).view(-1, ws * ws);
        var diff = windows.unsqueeze(1) - windows.unsqueeze(2);
        return zeros_like(diff).masked_fill(diff.ne(Scalars.Of(0)), Scalars.Of(-100f));
    }

    [Theory]
    [InlineData(16, 24, 8, 0)]
    [InlineData(16, 24, 8, 4)]
    [InlineData(24, 8, 4, 2)]
    public void Window_layout_equals_roll_then_partition(int h, int w, int ws, int shift)
    {
        using var scope = NewDisposeScope();
        var x = rand(2, h, w, 5);
        var layout = WindowLayout.Get(h, w, ws, shift, x.device);
        var gathered = x.reshape(2, h * w, 5).index_select(1, layout.Gather).view(2, -1, ws * ws, 5);
        TensorAssert.Exact(ReferencePartition(x, ws, shift), gathered, "gather");
        var back = gathered.reshape(2, h * w, 5).index_select(1, layout.Scatter).view(2, h, w, 5);
        TensorAssert.Exact(x, back, "scatter");
        if (shift == 0) Assert.Null(layout.ShiftMask);
        else TensorAssert.Exact(ReferenceMask(h, w, ws, shift), layout.ShiftMask!, "shift mask");
    }

    [Fact]
    public void Dense_block_inference_buffer_equals_concatenation()
    {
        manual_seed(11);
        using var block = new DilatedResidualDenseBlock(8, 3, 4);
        using var x = rand(2, 8, 12, 12);
        using var withGrad = block.forward(x); // concatenating path
        using var noGrad = no_grad();
        using var buffered = block.forward(x);
        TensorAssert.Close(withGrad.detach(), buffered, 1e-6, "DRDB");
    }

    [Fact]
    public void Channel_cross_attention_query_shortcut_equals_repeating_the_anchor()
    {
        manual_seed(13);
        const int dim = 12, n = 3;
        using var attn = new ChannelCrossAttention(dim, 2);
        using var noGrad = no_grad();
        using var tokens = rand(1, 4, 4, dim);
        using var ours = attn.forward(tokens, n);
        // The reference: q = conv1x1(repeat(anchor slice, n)).
        var w = attn.named_parameters().ToDictionary(p => p.name, p => p.parameter.flatten(1));
        var x = tokens.reshape(1, 16, dim);
        var anchor = x.narrow(2, n / 2 * (dim / n), dim / n);
        var q = nn.functional.linear(anchor.repeat(1, 1, n), w["q.weight"]);
        Tensor Heads(Tensor t) => t.view(1, 16, 2 * n, dim / (2 * n)).permute(0, 2, 3, 1);
        var scores = nn.functional.normalize(Heads(q), dim: -1).matmul(nn.functional.normalize(Heads(nn.functional.linear(x, w["k.weight"])), dim: -1).transpose(-2, -1)).softmax(-1);
        var mixed = scores.matmul(Heads(nn.functional.linear(x, w["v.weight"]))).permute(0, 3, 1, 2).reshape(1, 16, dim);
        var expected = nn.functional.linear(mixed, w["project_out.weight"]).view(1, 4, 4, dim);
        TensorAssert.Close(expected, ours, 1e-5, "channel cross-attention");
    }
}
