using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// SMNet's multi-head channel cross-attention between exposures. The token channels hold n exposure slices
/// (<see cref="ExposureSlices"/>); the query is the anchor (middle) exposure's slice tiled to C channels
/// (repeated n times when n divides C), keys and values are all channels. Attention is between channels
/// (transposed, Restormer style): q and k are L2-normalised over pixels, no temperature. Heads are
/// headsPerExposure·n where that divides C (the reference); for other n, the largest divisor of C below
/// that with at least two channels per head, so one set of weights serves every n.
/// Names: q, k, v, project_out (bias-free 1×1 convs).
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

    /// <summary>Whether <paramref name="exposures"/> inputs use the reference's head count headsPerExposure·n.</summary>
    public static bool HasReferenceHeads(int dim, int headsPerExposure, int exposures) =>
        exposures >= 1 && dim % (headsPerExposure * exposures) == 0;

    /// <summary>Heads used for <paramref name="exposures"/> inputs (see the class remarks).</summary>
    public static int HeadCount(int dim, int headsPerExposure, int exposures)
    {
        if (HasReferenceHeads(dim, headsPerExposure, exposures)) return headsPerExposure * exposures;
        int limit = Math.Min(headsPerExposure * exposures, Math.Max(1, dim / 2));
        return Enumerable.Range(1, limit).Last(h => dim % h == 0);
    }

    /// <summary>Normalised tokens [B, H, W, C] with n exposure slices → [B, H, W, C].</summary>
    public override Tensor forward(Tensor tokens, int exposures)
    {
        var slices = ExposureSlices.For(dim, exposures);
        using var scope = NewDisposeScope();
        long b = tokens.shape[0], h = tokens.shape[1], w = tokens.shape[2];
        int heads = HeadCount(dim, headsPerExposure, exposures), perHead = dim / heads;
        var x = tokens.reshape(b, h * w, dim);
        var anchor = x.narrow(2, slices.Offsets[slices.Anchor], slices.Widths[slices.Anchor]);
        // q(tile(anchor)) equals anchor through the sum of q's column blocks: n× fewer multiply-adds.
        var qWeight = slices.FoldQueryWeight(Linear1x1(q));
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
