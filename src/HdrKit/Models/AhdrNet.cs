using HdrKit.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>
/// AHDRNet (Yan et al., CVPR 2019; reference: qingsenyangit/AHDRNet model.py). A shared 3×3 conv embeds
/// each exposure; the two non-reference exposures are weighted by attention maps computed against the
/// reference; three DRDBs with global feature fusion reconstruct, with a global residual to the reference
/// features. Input order [LDR, H]; exactly 3 exposures; any H, W.
///
/// Built like the reference, including attConv1/attConv3, which its forward never uses (1,515,139
/// parameters at the default size), so its checkpoints load by name.
/// </summary>
public sealed class AhdrNet : HdrNetwork
{
    public sealed record Config(int Features = 64, int DenseLayers = 6, int GrowthRate = 32)
    {
        public static Config From(ModelOptions o, Config defaults) => defaults with
        {
            Features = o.Width ?? defaults.Features,
            DenseLayers = o.Depths is { Length: > 0 } d ? d[0] : defaults.DenseLayers,
            GrowthRate = o.Width is int w ? Math.Max(1, w / 2) : defaults.GrowthRate,
        };
    }

    public static readonly Config Small = new(Features: 32, DenseLayers: 3, GrowthRate: 16);

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d att11;
    private readonly Conv2d att12;
    private readonly Conv2d attConv1;
    private readonly Conv2d att31;
    private readonly Conv2d att32;
    private readonly Conv2d attConv3;
    private readonly DilatedResidualDenseBlock RDB1;
    private readonly DilatedResidualDenseBlock RDB2;
    private readonly DilatedResidualDenseBlock RDB3;
    private readonly Conv2d GFF_1x1;
    private readonly Conv2d GFF_3x3;
    private readonly Conv2d conv_up;
    private readonly Conv2d conv3;
    private readonly FeatureInfo[] featureInfo;

    public AhdrNet(Config? config = null) : base(nameof(AhdrNet))
    {
        var c = config ?? new Config();
        int f = c.Features;
        conv1 = nn.Conv2d(6, f, 3, padding: 1);
        conv2 = nn.Conv2d(f * 3, f, 3, padding: 1);
        att11 = nn.Conv2d(f * 2, f * 2, 3, padding: 1);
        att12 = nn.Conv2d(f * 2, f, 3, padding: 1);
        attConv1 = nn.Conv2d(f, f, 3, padding: 1);
        att31 = nn.Conv2d(f * 2, f * 2, 3, padding: 1);
        att32 = nn.Conv2d(f * 2, f, 3, padding: 1);
        attConv3 = nn.Conv2d(f, f, 3, padding: 1);
        RDB1 = new DilatedResidualDenseBlock(f, c.DenseLayers, c.GrowthRate);
        RDB2 = new DilatedResidualDenseBlock(f, c.DenseLayers, c.GrowthRate);
        RDB3 = new DilatedResidualDenseBlock(f, c.DenseLayers, c.GrowthRate);
        GFF_1x1 = nn.Conv2d(f * 3, f, 1);
        GFF_3x3 = nn.Conv2d(f, f, 3, padding: 1);
        conv_up = nn.Conv2d(f, f, 3, padding: 1);
        conv3 = nn.Conv2d(f, 3, 3, padding: 1);
        featureInfo = [new("att1", f, 1), new("att3", f, 1), new("fused", f, 1), new("drdb1", f, 1), new("drdb2", f, 1), new("drdb3", f, 1), new("body", f, 1)];
        RegisterComponents();
    }

    public override NetworkInputSpec InputSpec { get; } = new(InputOrder.LdrFirst, [3], PadMultiple: 1);

    /// <summary>
    /// "att1"/"att3": the embeddings of exposures 1 and 3 weighted by their attention maps; "fused": conv2 over
    /// those and the reference embedding; "drdb1".."drdb3": each dilated residual dense block's output;
    /// "body": GFF output + reference features.
    /// </summary>
    public override IReadOnlyList<FeatureInfo> FeatureInfo => featureInfo;

    public override HdrForward ForwardWithFeatures(Tensor exposures)
    {
        var x = SplitExposures(exposures);
        if (x.Length != 3) throw new ArgumentException($"AHDRNet takes 3 exposures, got {x.Length}");
        using var scope = NewDisposeScope();
        // Two stages with their own scopes, so that full-resolution temporaries of the first (embeddings,
        // attention maps: ~2 GB at 1500×1000) are freed before the DRDBs allocate theirs.
        var (att1, att3, fused, reference) = Fuse(x);
        var (drdb, body) = Body(fused, reference);
        var output = sigmoid(conv3.forward(conv_up.forward(body)));
        var features = new Dictionary<string, Tensor>
        {
            ["att1"] = att1, ["att3"] = att3, ["fused"] = fused,
            ["drdb1"] = drdb[0], ["drdb2"] = drdb[1], ["drdb3"] = drdb[2], ["body"] = body,
        };
        return HdrForward.MovedOut(output, features);
    }

    /// <summary>Shared embedding, attention of exposures 1 and 3 against 2, merge: (weighted 1, weighted 3, fused, reference features).</summary>
    private (Tensor Att1, Tensor Att3, Tensor Fused, Tensor Reference) Fuse(Tensor[] x)
    {
        using var scope = NewDisposeScope();
        // One batched conv for the shared embedding instead of three calls.
        var embedded = LeakyRelu(conv1.forward(cat(x, 0))).chunk(3, 0);
        var (f1, f2, f3) = (embedded[0], embedded[1], embedded[2]);
        var f1w = f1 * ExposureAttention.Map(att11, att12, f1, f2);
        var f3w = f3 * ExposureAttention.Map(att31, att32, f3, f2);
        var fused = conv2.forward(cat([f1w, f2, f3w], 1));
        return (f1w.MoveToOuterDisposeScope(), f3w.MoveToOuterDisposeScope(), fused.MoveToOuterDisposeScope(),
            f2.clone().MoveToOuterDisposeScope()); // f2 is a view of all three embeddings: copy it out so they can go
    }

    /// <summary>Three DRDBs, global feature fusion and the global residual to the reference features.</summary>
    private (Tensor[] Blocks, Tensor Body) Body(Tensor fused, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var r1 = RDB1.forward(fused);
        var r2 = RDB2.forward(r1);
        var r3 = RDB3.forward(r2);
        var all = cat([r1, r2, r3], 1);
        var body = GFF_3x3.forward(GFF_1x1.forward(all)) + reference;
        return ([r1.MoveToOuterDisposeScope(), r2.MoveToOuterDisposeScope(), r3.MoveToOuterDisposeScope()], body.MoveToOuterDisposeScope());
    }

    private static Tensor LeakyRelu(Tensor x) => Blocks.LeakyRelu.Apply(x, 0.01);
}
