using HdrKit.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>
/// HDR-Transformer (Liu et al., ECCV 2022; reference: liuzhen03/HDR-Transformer-PyTorch
/// models/hdr_transformer.py). Per-exposure 3×3 convs, AHDR-style spatial attention of exposures 1 and 3
/// against 2, a 3×3 merge conv, then residual groups of context-aware Swin blocks (W-MSA/SW-MSA with
/// relative position bias + local context extractor) and a dilated conv each; head
/// conv_last(f2 + conv_after_body(body + x)) → sigmoid. Input order [H, LDR]; exactly 3 exposures.
///
/// Height and width must be multiples of the window (8). The reference does not pad inside the network
/// (its test script cuts 256² tiles), so neither does this; <see cref="InputSpec"/> asks the caller to.
/// </summary>
public sealed class HdrTransformer : HdrNetwork
{
    public sealed record Config(int EmbedDim = 60, int[]? Depths = null, int Heads = 6, int WindowSize = 8, double MlpRatio = 2)
    {
        public int[] GroupDepths => Depths ?? [6, 6, 6];

        public static Config From(ModelOptions o, Config defaults) => defaults with
        {
            EmbedDim = o.Width ?? defaults.EmbedDim,
            Depths = o.Depths ?? defaults.Depths,
            Heads = o.ExtraInt("heads") ?? defaults.Heads,
            WindowSize = o.ExtraInt("window") ?? defaults.WindowSize,
        };
    }

    public static readonly Config Small = new(EmbedDim: 24, Depths: [2, 2], Heads: 4);

    private readonly Conv2d conv_f1;
    private readonly Conv2d conv_f2;
    private readonly Conv2d conv_f3;
    private readonly ExposureAttention att_module_l;
    private readonly ExposureAttention att_module_h;
    private readonly Conv2d conv_first;
    private readonly PatchEmbed patch_embed;
    private readonly ModuleList<ResidualSwinGroup> layers;
    private readonly LayerNorm norm;
    private readonly Conv2d conv_after_body;
    private readonly Conv2d conv_last;
    private readonly FeatureInfo[] featureInfo;

    public HdrTransformer(Config? config = null) : base(nameof(HdrTransformer))
    {
        var c = config ?? new Config();
        int d = c.EmbedDim;
        conv_f1 = nn.Conv2d(6, d, 3, padding: 1);
        conv_f2 = nn.Conv2d(6, d, 3, padding: 1);
        conv_f3 = nn.Conv2d(6, d, 3, padding: 1);
        att_module_l = new ExposureAttention(d);
        att_module_h = new ExposureAttention(d);
        conv_first = nn.Conv2d(d * 3, d, 3, padding: 1);
        patch_embed = new PatchEmbed(d);
        layers = nn.ModuleList(c.GroupDepths.Select(depth => new ResidualSwinGroup(
            Enumerable.Range(0, depth).Select(i => (SwinBlock)new ContextAwareSwinBlock(
                d, c.Heads, c.WindowSize, i % 2 == 0 ? 0 : c.WindowSize / 2, c.MlpRatio)),
            d, convName: "dilated_conv", dilation: 2)).ToArray());
        norm = nn.LayerNorm(d);
        conv_after_body = nn.Conv2d(d, d, 3, padding: 1);
        conv_last = nn.Conv2d(d, 3, 3, padding: 1);
        InputSpec = new NetworkInputSpec(InputOrder.LinearFirst, [3], PadMultiple: c.WindowSize);
        featureInfo = [new("fused", d, 1), .. c.GroupDepths.Select((_, g) => new FeatureInfo($"group{g + 1}", d, 1)), new("body", d, 1)];
        SwinInit.Apply(this);
        RegisterComponents();
    }

    public override NetworkInputSpec InputSpec { get; }

    /// <summary>
    /// "fused": conv_first over the attention-weighted exposures; "group1".."groupK": each residual group of
    /// context-aware Swin blocks (image layout); "body": the transformer body after its final LayerNorm.
    /// </summary>
    public override IReadOnlyList<FeatureInfo> FeatureInfo => featureInfo;

    public override HdrForward ForwardWithFeatures(Tensor exposures)
    {
        using var scope = NewDisposeScope();
        var x = SplitExposures(exposures);
        if (x.Length != 3) throw new ArgumentException($"HDR-Transformer takes 3 exposures, got {x.Length}");
        var f1 = conv_f1.forward(x[0]);
        var f2 = conv_f2.forward(x[1]);
        var f3 = conv_f3.forward(x[2]);
        // The reference's naming: the "_h" module attends exposure 1, the "_l" module exposure 3.
        var f1w = f1 * att_module_h.forward(f1, f2);
        var f3w = f3 * att_module_l.forward(f3, f2);
        var fused = conv_first.forward(cat([f1w, f2, f3w], 1));
        var features = new Dictionary<string, Tensor> { ["fused"] = fused };
        var tokens = patch_embed.forward(fused);
        for (int g = 0; g < layers.Count; g++)
        {
            tokens = layers[g].forward(tokens);
            features[$"group{g + 1}"] = PatchEmbed.ToImage(tokens);
        }
        var body = features["body"] = PatchEmbed.ToImage(norm.forward(tokens));
        var output = sigmoid(conv_last.forward(f2 + conv_after_body.forward(body + fused)));
        return HdrForward.MovedOut(output, features);
    }
}
