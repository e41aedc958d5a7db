using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// The knowledge-transfer paper's Prior Fusion Block (§3.2, Eq. 4): transposed (channel) attention in which the
/// semantic prior asks and the image feature answers. Q = W_d^Q W_c^Q p_f, K and V likewise from the feature
/// (point-wise 1×1, then depth-wise 3×3), q and k L2-normalised over pixels per head, attention between channels
/// scaled by a learnable per-head temperature, output projection W_c and a residual to the feature.
/// The temperature multiplies (Restormer's MDTA, which the paper cites for the mechanism) — the paper's
/// division by γ with γ = 1/temperature; multiplying keeps a temperature driven to 0 finite.
/// Both inputs are layer-normalised over channels first, as Restormer's blocks do before attention, so a prior
/// of any magnitude (backend features are unnormalised) yields comparable queries.
/// Names: norm_feature, norm_prior, q, q_dw, kv, kv_dw, temperature, project_out.
/// </summary>
public sealed class PriorFusionBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm_feature;
    private readonly LayerNorm norm_prior;
    private readonly Conv2d q;
    private readonly Conv2d q_dw;
    private readonly Conv2d kv;
    private readonly Conv2d kv_dw;
    private readonly Parameter temperature;
    private readonly Conv2d project_out;
    private readonly int channels;
    private readonly int heads;

    public PriorFusionBlock(int channels, int heads) : base(nameof(PriorFusionBlock))
    {
        if (heads < 1 || channels % heads != 0)
            throw new ArgumentException($"{channels} channels cannot be split into {heads} heads");
        this.channels = channels;
        this.heads = heads;
        norm_feature = nn.LayerNorm(channels);
        norm_prior = nn.LayerNorm(channels);
        q = nn.Conv2d(channels, channels, 1, bias: false);
        q_dw = nn.Conv2d(channels, channels, 3, padding: 1, groups: channels, bias: false);
        kv = nn.Conv2d(channels, 2 * channels, 1, bias: false);
        kv_dw = nn.Conv2d(2 * channels, 2 * channels, 3, padding: 1, groups: 2 * channels, bias: false);
        temperature = nn.Parameter(torch.ones(heads, 1, 1));
        project_out = nn.Conv2d(channels, channels, 1, bias: false);
        RegisterComponents();
    }

    public int Channels => channels;

    public int Heads => heads;

    /// <summary>The learnable per-head temperature [heads, 1, 1].</summary>
    public Parameter Temperature => temperature;

    /// <summary>Feature F_k^T and prior p_f, both [B, C, H, W] → refined feature [B, C, H, W].</summary>
    public override Tensor forward(Tensor feature, Tensor prior)
    {
        if (feature.dim() != 4 || feature.shape[1] != channels)
            throw new ArgumentException($"feature must be [B,{channels},H,W], got [{string.Join(",", feature.shape)}]");
        if (!prior.shape.SequenceEqual(feature.shape))
            throw new ArgumentException($"prior [{string.Join(",", prior.shape)}] must have the feature's shape [{string.Join(",", feature.shape)}]");
        using var scope = NewDisposeScope();
        long b = feature.shape[0], h = feature.shape[2], w = feature.shape[3];
        int perHead = channels / heads;
        var query = q_dw.forward(q.forward(ChannelNorm(norm_prior, prior)));
        var keyValue = kv_dw.forward(kv.forward(ChannelNorm(norm_feature, feature))).chunk(2, 1);
        // [B, C, H, W] → [B, heads, c, HW]: each head's channels attend to each other over all pixels.
        Tensor Heads(Tensor t) => t.reshape(b, heads, perHead, h * w);
        var qn = nn.functional.normalize(Heads(query), dim: -1);
        var kn = nn.functional.normalize(Heads(keyValue[0]), dim: -1);
        var attn = (qn.matmul(kn.transpose(-2, -1)) * temperature).softmax(-1);
        var mixed = attn.matmul(Heads(keyValue[1])).reshape(b, channels, h, w);
        return (project_out.forward(mixed) + feature).MoveToOuterDisposeScope();
    }

    private static Tensor ChannelNorm(LayerNorm norm, Tensor x) => norm.forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
}
