using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// SMNet's multi-head channel cross-attention between exposures. The token channels hold n exposure slices
/// of C/n channels; the query is the anchor (middle) exposure's slice repeated n times, keys and values are
/// all channels. Attention is between channels (transposed, Restormer style): q and k are L2-normalised
/// over pixels, heads = headsPerExposure·n, no temperature. Names: q, k, v, project_out (bias-free 1×1 convs).
/// </summary>
public sealed class ChannelCrossAttention : nn.Module<Tensor, int, Tensor>
{
    private readonly Conv2d q;
    private readonly Conv2d k;
    private readonly Conv2d v;
    private readonly Conv2d project_out;
    private readonly int dim;
    private readonly int headsPerExposure;

    public ChannelCrossAttention(int dim, int headsPerExposure) : base(nameof(ChannelCrossAttention))
    {
        this.dim = dim;
        this.headsPerExposure = headsPerExposure;
        q = nn.Conv2d(dim, dim, 1, bias: false);
        k = nn.Conv2d(dim, dim, 1, bias: false);
        v = nn.Conv2d(dim, dim, 1, bias: false);
        project_out = nn.Conv2d(dim, dim, 1, bias: false);
        RegisterComponents();
    }

    /// <summary>Whether <paramref name="exposures"/> inputs split the channels into whole slices and heads.</summary>
    public static bool Supports(int dim, int headsPerExposure, int exposures) =>
        exposures >= 1 && dim % (headsPerExposure * exposures) == 0;

    /// <summary>Normalised tokens [B, H, W, C] with n exposure slices → [B, H, W, C].</summary>
    public override Tensor forward(Tensor tokens, int exposures)
    {
        if (!Supports(dim, headsPerExposure, exposures))
            throw new ArgumentException($"{dim} channels cannot be split into {headsPerExposure}·{exposures} heads; use an exposure count n with {dim} divisible by {headsPerExposure}·n");
        using var scope = NewDisposeScope();
        long b = tokens.shape[0], h = tokens.shape[1], w = tokens.shape[2];
        int heads = headsPerExposure * exposures, slice = dim / exposures, perHead = dim / heads;
        var x = tokens.reshape(b, h * w, dim);
        var anchor = x.narrow(2, exposures / 2 * slice, slice);
        // q(repeat(anchor)) equals anchor through the sum of q's n column blocks: n× fewer multiply-adds.
        var qWeight = Linear1x1(q).view(dim, exposures, slice).sum(1);
        var query = nn.functional.linear(anchor, qWeight);
        var key = nn.functional.linear(x, Linear1x1(k));
        var value = nn.functional.linear(x, Linear1x1(v));
        // [B, HW, heads·c] → [B, heads, c, HW]: channels attend to channels over all pixels.
        Tensor Heads(Tensor t) => t.view(b, h * w, heads, perHead).permute(0, 2, 3, 1);
        var qn = nn.functional.normalize(Heads(query), dim: -1);
        var kn = nn.functional.normalize(Heads(key), dim: -1);
        var attn = qn.matmul(kn.transpose(-2, -1)).softmax(-1);
        var mixed = attn.matmul(Heads(value)).permute(0, 3, 1, 2).reshape(b, h * w, dim);
        var output = nn.functional.linear(mixed, Linear1x1(project_out));
        return output.view(b, h, w, dim).MoveToOuterDisposeScope();
    }

    private static Tensor Linear1x1(Conv2d conv) => conv.weight!.flatten(1);
}
