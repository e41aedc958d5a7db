using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Models.SafNet;

/// <summary>
/// SAFNet and SAFNet-S (Kong et al., "SAFNet: Selective Alignment Fusion Network for Efficient HDR Imaging",
/// ECCV 2024). A pyramid encoder/decoder estimates, at reduced resolution, flows aligning the short and long
/// exposures to the middle one and masks selecting where their aligned content is trusted; an explicit merge
/// applies them with Kalantari's weights; a small refine net corrects the merge at full resolution.
///
/// Input [B, 3, 6, H, W], [linear, LDR] per exposure, linear = LDR^2.2 / t with t = 2^(stops − min stops)
/// (<see cref="ExposureTimeOrigin.ShortestIsOne"/>). Any H, W: like the reference, the alignment
/// branch resizes to the nearest multiple of 16 at <see cref="SafNetConfig.AlignmentScale"/> itself, so
/// <see cref="NetworkInputSpec.PadMultiple"/> is 1. Tiles and images whose sides are multiples of 32 make that
/// resize an exact 2× reduction.
///
/// Features: "encoder1".."encoder4" = the reference exposure's encoder pyramid (strides 2..16 of the alignment
/// resolution, so 4..32 of the input at the default scale 0.5; exact when the input's sides are multiples of
/// the largest), "merged" = the explicit merge (img_hdr_m), "fused" = the refine net's first features, which
/// combine the aligned exposures, flows, masks and merge (S: conv1 output, 32 ch; full: the warped/concatenated
/// 80 ch), "body" = the refine net's features before its output conv, "flow0"/"flow2" (pixels, full
/// resolution) and "mask0"/"mask2" (selection, after the sigmoid, after the consistency gates that are on).
/// Parameter names equal the released checkpoints' keys. With <see cref="SafNetConfig.Refine"/> off the output
/// is the explicit merge and there are no "fused"/"body" features.
/// </summary>
public sealed class SafNet : HdrNetwork
{
    private readonly SafNetEncoder encoder;
    private readonly SafNetDecoder decoder;
    private readonly SafNetRefiner refinenet;

    public SafNet(SafNetConfig config) : base(config.FullRefiner ? "SAFNet" : "SAFNet_S")
    {
        Config = config;
        encoder = new SafNetEncoder(config.EncoderWidth);
        decoder = new SafNetDecoder(config.EncoderWidth);
        refinenet = config.FullRefiner ? new SafNetFullRefiner() : new SafNetLightRefiner();
        RegisterComponents();
    }

    public SafNetConfig Config { get; }

    /// <summary>Alignment runs at half resolution and the refiner is small, so larger tiles than the other models' fit (peak memory: docs/inference.md).</summary>
    public override int PreferredTileSize => 1024;

    /// <summary>Sides whose alignment resolution is a multiple of 16: 32 at the default scale 0.5, where the alignment input is an exact halving.</summary>
    public override int PreferredSizeMultiple => (int)Math.Round(SafNetConfig.AlignmentMultiple / Config.AlignmentScale);

    public override NetworkInputSpec InputSpec { get; } = new(InputOrder.LinearFirst, [3], PadMultiple: 1, ExposureTimeOrigin: ExposureTimeOrigin.ShortestIsOne);

    public override IReadOnlyList<FeatureInfo> FeatureInfo =>
    [
        .. Enumerable.Range(1, 4).Select(l => new FeatureInfo($"encoder{l}", Config.EncoderWidth, (int)Math.Round((1 << l) / Config.AlignmentScale))),
        new("merged", 3, 1),
        .. Config.Refine ? new FeatureInfo[] { new("fused", refinenet.FusedChannels, 1), new("body", refinenet.BodyChannels, 1) } : [],
        new("flow0", 2, 1), new("flow2", 2, 1), new("mask0", 1, 1), new("mask2", 1, 1),
        new("aligned0", 3, 1), new("aligned2", 3, 1),
    ];

    public override bool UsesImageStatistics => Config.ConsistencyTolerance != null;

    /// <summary>With the consistency gate on: its intensity mappings, from a sample of the whole input (<see cref="ImageStatistics.Sample"/>).</summary>
    public override ImageStatistics? EstimateStatistics(Tensor sample)
    {
        if (Config.ConsistencyTolerance == null) return null;
        CheckExposures(sample);
        var ldr = SplitExposures(sample).Select(e => e[.., 3..6]).ToArray();
        var mappings = Blocks.ExposureConsistency.EstimateMappings(ldr[1], ldr[0], ldr[2]);
        return new SafNetStatistics(mappings[0], mappings[1]);
    }

    public override HdrForward ForwardWithFeatures(Tensor exposures) => ForwardWithFeatures(exposures, null);

    public override HdrForward ForwardWithFeatures(Tensor exposures, ImageStatistics? statistics)
    {
        CheckExposures(exposures);
        using var scope = NewDisposeScope();
        var images = SplitExposures(exposures);
        var (alignment, pyramid) = EstimateAlignment(images[0], images[1], images[2]);

        var warped0 = Blocks.FlowWarp.Apply(images[0], alignment.Flow0);
        var warped2 = Blocks.FlowWarp.Apply(images[2], alignment.Flow2);
        var (referenceLinear, referenceLdr) = (images[1][.., 0..3], images[1][.., 3..6]);
        (Tensor Short, Tensor Long)? gates = null;
        Tensor? confirmedShort = null;
        if (Config.ConsistencyTolerance is double tolerance)
        {
            var mappings = statistics switch
            {
                SafNetStatistics given => given,
                null => (SafNetStatistics)EstimateStatistics(ImageStatistics.Sample(exposures))!,
                _ => throw new ArgumentException($"SAFNet takes {nameof(SafNetStatistics)}, not {statistics.GetType().Name}"),
            };
            Blocks.ExposureCheck checkShort;
            Tensor gateLong;
            // The checkers' own maps (per-pixel code levels, reference statistics: full-size each) go as soon as the gates are made.
            using (var checking = NewDisposeScope())
            {
                var consistency = new Blocks.ExposureConsistency(referenceLdr);
                var check = consistency.Check(warped0[.., 3..6], mappings.Short, tolerance, SafNetConfig.ConsistencyRadius);
                checkShort = new(check.Gate.MoveToOuterDisposeScope(), check.ConfirmedWhite.MoveToOuterDisposeScope());
                gateLong = consistency.Gate(warped2[.., 3..6], mappings.Long, tolerance, SafNetConfig.ConsistencyRadius).MoveToOuterDisposeScope();
            }
            gates = (checkShort.Gate, gateLong);
            alignment = alignment with { Mask0 = InPlace.Mul(alignment.Mask0, gates.Value.Short), Mask2 = InPlace.Mul(alignment.Mask2, gates.Value.Long) };
            confirmedShort = checkShort.ConfirmedWhite;
        }
        if (Config.StructureTolerance is double structureTolerance)
        {
            Tensor short0, long2;
            using (var checking = NewDisposeScope())
            {
                int k = Config.StructureReduction, radius = Math.Max(1, SafNetConfig.StructureRadius / k);
                long h = referenceLdr.shape[2], w = referenceLdr.shape[3];
                Tensor Reduce(Tensor ldr) => k == 1 ? ldr : F.avg_pool2d(ldr, k, k, ceil_mode: true, count_include_pad: false);
                Tensor Restore(Tensor gate) => k == 1 ? gate : F.interpolate(gate, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
                var structure = new Blocks.StructuralConsistency(Reduce(referenceLdr));
                short0 = Restore(structure.Gate(Reduce(warped0[.., 3..6]), structureTolerance, radius)).MoveToOuterDisposeScope();
                long2 = Restore(structure.Gate(Reduce(warped2[.., 3..6]), structureTolerance, radius)).MoveToOuterDisposeScope();
            }
            // Both gates together are read only by the refine net's keep rule (KeepMergeWhereRejected): two full-size
            // products that a merge without the refine net (the default model) would make for nothing.
            if (Config.Refine) gates = gates is var (photometric0, photometric2) ? (photometric0 * short0, photometric2 * long2) : (short0, long2);
            alignment = alignment with { Mask0 = InPlace.Mul(alignment.Mask0, short0), Mask2 = InPlace.Mul(alignment.Mask2, long2) };
        }
        // Under a white reference SAFNet's merge splits the weight between the short exposure and the reference's clipped
        // radiance by the selection mask: anything below 1 pulls the result down to the reference's white level, a grey
        // plateau. Where the short exposure confirms the reference is beyond white, it is selected outright.
        if (confirmedShort is not null) alignment = alignment with { Mask0 = maximum(alignment.Mask0, confirmedShort) };
        var merged = SafNetMerge.Apply(
            [warped0[.., 3..6], referenceLdr, warped2[.., 3..6]],
            [warped0[.., 0..3], referenceLinear, warped2[.., 0..3]],
            alignment.Mask0, alignment.Mask2);
        var features = new Dictionary<string, Tensor>
        {
            ["merged"] = merged,
            ["flow0"] = alignment.Flow0, ["flow2"] = alignment.Flow2, ["mask0"] = alignment.Mask0, ["mask2"] = alignment.Mask2,
            // The non-reference exposures warped onto the reference, linear: in the target's unit, aligned0 (the shortest
            // exposure) equals the target wherever the flow is right and that exposure neither clips nor sinks into noise.
            ["aligned0"] = warped0[.., 0..3], ["aligned2"] = warped2[.., 0..3],
        };
        for (int level = 0; level < pyramid.Length; level++) features[$"encoder{level + 1}"] = pyramid[level];
        var output = merged;
        if (Config.Refine)
        {
            var refined = refinenet.forward(new SafNetRefineInput(images[0], images[1], images[2], alignment, merged));
            output = gates is var (gateShort, gateLong) ? KeepMergeWhereRejected(merged, refined.Hdr, referenceLdr, gateShort, gateLong) : refined.Hdr;
            features["fused"] = refined.Fused;
            features["body"] = refined.Body;
        }
        if (Config.ClippedFloor) output = Blocks.ClippedReferenceFloor.Apply(output, referenceLdr, referenceLinear);
        return HdrForward.MovedOut(output, features);
    }

    private static void CheckExposures(Tensor exposures)
    {
        if (exposures.dim() == 5 && exposures.shape[1] != 3)
            throw new ArgumentException($"SAFNet merges exactly 3 exposures, got {exposures.shape[1]}");
    }

    /// <summary>
    /// The refine net sees the misaligned exposures too and paints their content back in: where a gate rejected an
    /// exposure that carried merge weight (short: a reference channel above mid-grey; long: below), keep the merge.
    /// </summary>
    private static Tensor KeepMergeWhereRejected(Tensor merged, Tensor refined, Tensor referenceLdr, Tensor gateShort, Tensor gateLong)
    {
        var usesShort = (referenceLdr > Scalars.Of(0.5)).any(1, keepdim: true).to(gateShort.dtype);
        var usesLong = (referenceLdr < Scalars.Of(0.5)).any(1, keepdim: true).to(gateLong.dtype);
        var consistent = (Scalars.Of(1) - (Scalars.Of(1) - gateShort) * usesShort) * (Scalars.Of(1) - (Scalars.Of(1) - gateLong) * usesLong);
        return merged + (refined - merged) * consistent;
    }

    /// <summary>Flows (pixels) and selection masks (after the sigmoid) at the input resolution, and the reference's encoder pyramid.</summary>
    private (SafNetFlowState Alignment, Tensor[] ReferencePyramid) EstimateAlignment(Tensor image0, Tensor image1, Tensor image2)
    {
        long h = image1.shape[2], w = image1.shape[3];
        long alignH = AlignedSize(h), alignW = AlignedSize(w);
        bool resized = alignH != h || alignW != w;
        Tensor Down(Tensor x) => resized ? F.interpolate(x, [alignH, alignW], mode: InterpolationMode.Bilinear, align_corners: false) : x;

        // The three exposures go through the shared encoder as one batch: one weight reorder per convolution instead of
        // three. The resized inputs are released as soon as they are read.
        long b = image1.shape[0];
        Tensor[] levels;
        using (var batch = Kept.Result(() => cat([Down(image0), Down(image1), Down(image2)], 0)))
            levels = encoder.forward(batch);
        var f0 = levels.Select(l => l[0..(int)b]).ToArray();
        var f1 = levels.Select(l => l[(int)b..(int)(2 * b)]).ToArray();
        var f2 = levels.Select(l => l[(int)(2 * b)..]).ToArray();
        foreach (var l in levels) l.Dispose();

        var coarsest = f1[3];
        var zeros2 = zeros_like(coarsest[.., 0..2]);
        var zeros1 = zeros_like(coarsest[.., 0..1]);
        var state = new SafNetFlowState(zeros2, zeros2, zeros1, zeros1);
        for (int level = 3; level >= 0; level--)
            state = decoder.forward(f0[level], f1[level], f2[level], state);

        if (resized)
        {
            Tensor Up(Tensor x) => F.interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
            // Flows are in pixels of the alignment resolution; rescale each axis to input pixels.
            using var toInput = tensor(new[] { (float)((double)w / alignW), (float)((double)h / alignH) }, device: state.Flow0.device)
                .to(state.Flow0.dtype).view(1, 2, 1, 1);
            state = new SafNetFlowState(InPlace.Mul(Up(state.Flow0), toInput), InPlace.Mul(Up(state.Flow2), toInput), Up(state.Mask0), Up(state.Mask2));
        }
        foreach (var feature in f0.Concat(f2)) feature.Dispose();
        // In place: the logits have no other reader, and the gates then scale the selections in place too.
        return (state with { Mask0 = InPlace.Sigmoid(state.Mask0), Mask2 = InPlace.Sigmoid(state.Mask2) }, f1);
    }

    private long AlignedSize(long size) =>
        (long)(SafNetConfig.AlignmentMultiple * Math.Ceiling(size * Config.AlignmentScale / SafNetConfig.AlignmentMultiple));
}
