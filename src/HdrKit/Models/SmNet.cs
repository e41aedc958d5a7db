using HdrKit.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>
/// SMNet, the network of SMHDR (semantic masking with curriculum; reference: eezkni/SMHDR
/// models/smnet_best.py, icab.py). Any number n of exposures: conv_first (three reflect-padded 3×3 convs)
/// is shared over exposures, and each exposure's C-channel output is viewed as n groups of C/n channels
/// and averaged over the groups, giving one C/n slice per exposure; the slices are concatenated back to C
/// (<see cref="ExposureSlices"/>: n that do not divide C get slices of ⌊C/n⌋ or ⌈C/n⌉ channels).
/// The body is patch embedding, an MLP, then per group: masked Swin blocks (each with a convolutional
/// branch) + residual conv, ICAB (channel cross-attention from the middle exposure's slice to all
/// channels) on the sum with the embedding, and an MLP. Head: LayerNorm,
/// conv_after_body(body) + conv_skip(anchor features), conv_end → sigmoid. Input order [H, LDR].
///
/// Any n from 1 to C: the reference's 4·n ICAB heads where C is divisible by 4·n (60 channels: n ∈ {1, 3, 5,
/// 15}), otherwise the head count of <see cref="ChannelCrossAttention.HeadCount"/>; no parameter depends on n.
/// H and W must be multiples of the window (8); the reference pads outside the network (reflect, to a
/// multiple of 128 at test time).
///
/// Masking hook: <see cref="FeatureMasker"/> is installed on the first Swin block of each group and used in
/// training mode only. Fine-tuning for a new exposure count: <see cref="ExposureDependentPrefixes"/>.
/// </summary>
public sealed class SmNet : HdrNetwork
{
    public sealed record Config(int EmbedDim = 60, int[]? Depths = null, int Heads = 6, int WindowSize = 8,
        double MlpRatio = 2, int ChannelHeadsPerExposure = 4)
    {
        public int[] GroupDepths => Depths ?? [6, 6, 6, 6];

        public static Config From(ModelOptions o, Config defaults) => defaults with
        {
            EmbedDim = o.Width ?? defaults.EmbedDim,
            Depths = o.Depths ?? defaults.Depths,
            Heads = o.ExtraInt("heads") ?? defaults.Heads,
            WindowSize = o.ExtraInt("window") ?? defaults.WindowSize,
        };
    }

    /// <summary>24 channels: trains on a CPU; reference heads for n ∈ {1, 2, 3, 6} (24 divisible by 4·n).</summary>
    public static readonly Config Small = new(EmbedDim: 24, Depths: [2, 2], Heads: 4);

    private readonly Sequential conv_first;
    private readonly Mlp mlp;
    private readonly Conv2d conv_skip;
    private readonly Conv2d conv_end;
    private readonly PatchEmbed patch_embed;
    private readonly ModuleList<ResidualSwinGroup> layers;
    private readonly ModuleList<InterExposureChannelAttention> channel_layers;
    private readonly ModuleList<Mlp> mlps;
    private readonly LayerNorm norm;
    private readonly Conv2d conv_after_body;
    private readonly int embedDim;
    private readonly FeatureInfo[] featureInfo;
    private IFeatureMasker? masker;

    public SmNet(Config? config = null) : base(nameof(SmNet))
    {
        var c = config ?? new Config();
        int d = embedDim = c.EmbedDim;
        conv_first = nn.Sequential(
            nn.Conv2d(6, d, 3, padding: 1, padding_mode: PaddingModes.Reflect),
            nn.Conv2d(d, d, 3, padding: 1, padding_mode: PaddingModes.Reflect),
            nn.Conv2d(d, d, 3, padding: 1, padding_mode: PaddingModes.Reflect));
        mlp = new Mlp(d, d);
        conv_skip = nn.Conv2d(d, d, 3, padding: 1);
        conv_end = nn.Conv2d(d, 3, 3, padding: 1);
        patch_embed = new PatchEmbed(d);
        var depths = c.GroupDepths;
        layers = nn.ModuleList(depths.Select((depth, g) => new ResidualSwinGroup(
            Enumerable.Range(0, depth).Select(i => (SwinBlock)new MaskedSwinBlock(
                d, c.Heads, c.WindowSize, i % 2 == 0 ? 0 : c.WindowSize / 2, c.MlpRatio, group: g)),
            d, convName: "conv", dilation: 1)).ToArray());
        channel_layers = nn.ModuleList(depths.Select(_ => new InterExposureChannelAttention(d, c.ChannelHeadsPerExposure)).ToArray());
        mlps = nn.ModuleList(depths.Select(_ => new Mlp(d, d, d)).ToArray());
        norm = nn.LayerNorm(d);
        conv_after_body = nn.Conv2d(d, d, 3, padding: 1);
        var counts = Enumerable.Range(1, d).Where(n => ExposureSlices.Supports(d, n)).ToArray();
        InputSpec = new NetworkInputSpec(InputOrder.LinearFirst, counts, PadMultiple: c.WindowSize);
        featureInfo = [new("fused", d, 1), .. depths.Select((_, g) => new FeatureInfo($"group{g + 1}", d, 1)), new("body", d, 1)];
        SwinInit.Apply(this);
        RegisterComponents();
    }

    public override NetworkInputSpec InputSpec { get; }

    /// <summary>
    /// "fused": the C-channel stack of per-exposure slices entering the body (exposures meet here; the
    /// ICABs refine the fusion further); "group1".."groupK": each group's output (masked Swin blocks, ICAB, MLP;
    /// image layout); "body": the body output after its final LayerNorm.
    /// </summary>
    public override IReadOnlyList<FeatureInfo> FeatureInfo => featureInfo;

    /// <summary>
    /// Training-time feature masking for the first Swin block of each of the groups (SMHDR §4); null (the
    /// default) = none. Never applied in eval mode.
    /// </summary>
    public IFeatureMasker? FeatureMasker
    {
        get => masker;
        set
        {
            masker = value;
            foreach (var group in layers) ((MaskedSwinBlock)group.Blocks[0]).Masker = value;
        }
    }

    /// <summary>conv_first's parameters (~5.3% of the model): what SMHDR fine-tunes for a new exposure count.</summary>
    public IEnumerable<Parameter> ConvFirstParameters() => conv_first.parameters();

    /// <summary>
    /// Parameter-name prefixes that depend on the exposure count: only conv_first, which sees each exposure
    /// on its own and whose output channels are folded into per-exposure slices. Everything after the fold
    /// is shared by every n, so fine-tuning to a new n trains these and freezes the rest.
    /// </summary>
    public static IReadOnlyList<string> ExposureDependentPrefixes { get; } = ["conv_first."];

    public override HdrForward ForwardWithFeatures(Tensor exposures)
    {
        if (exposures.dim() != 5 || exposures.shape[2] != 6)
            throw new ArgumentException($"expected [B, N, 6, H, W] exposures, got [{string.Join(",", exposures.shape)}]");
        int n = (int)exposures.shape[1];
        if (!InputSpec.Accepts(n))
            throw new ArgumentException($"SMNet with {embedDim} channels takes 1 to {embedDim} exposures, got {n}");
        using var scope = NewDisposeScope();
        long b = exposures.shape[0], h = exposures.shape[3], w = exposures.shape[4];
        // All exposures through the shared conv_first in one batched call.
        var perExposure = conv_first.forward(exposures.reshape(b * n, 6, h, w)).view(b, n, embedDim, h, w);
        var anchor = perExposure.select(1, n / 2);
        var fused = ExposureSlices.For(embedDim, n).Fuse(perExposure);
        var features = new Dictionary<string, Tensor> { ["fused"] = fused };
        var body = features["body"] = PatchEmbed.ToImage(ForwardBody(fused, n, features));
        var output = sigmoid(conv_end.forward(conv_after_body.forward(body) + conv_skip.forward(anchor)));
        return HdrForward.MovedOut(output, features);
    }

    /// <summary>The body in token layout; adds each group's output to <paramref name="features"/> (image layout).</summary>
    private Tensor ForwardBody(Tensor fused, int exposures, Dictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var embedded = patch_embed.forward(fused);
        var x = mlp.forward(embedded);
        for (int g = 0; g < layers.Count; g++)
        {
            using var inner = NewDisposeScope();
            var grouped = layers[g].forward(x);
            var mixed = channel_layers[g].forward(grouped + embedded, exposures);
            x = mlps[g].forward(mixed).MoveToOuterDisposeScope();
            features[$"group{g + 1}"] = PatchEmbed.ToImage(x).MoveToOuterDisposeScope();
        }
        foreach (var (name, t) in features)
            if (name.StartsWith("group", StringComparison.Ordinal)) t.MoveToOuterDisposeScope();
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}
