namespace HdrKit.Models.SafNet;

/// <summary>
/// SAFNet's configuration. The released models use encoder width 40 (decoder 3 × 40) and align at half
/// resolution; SAFNet-S uses the light refine net, SAFNet the residual-block one.
/// </summary>
/// <param name="EncoderWidth">Channels of every encoder level; the shared decoder is three times as wide (its grouped convs need 3 groups).</param>
/// <param name="FullRefiner">True: SAFNet's feature-warping residual refine net; false: SAFNet-S's light one.</param>
/// <param name="AlignmentScale">Resolution of flow and mask estimation relative to the input (the reference's scale_factor).</param>
/// <param name="ConsistencyTolerance">
/// Not in the paper; null (off) unless a model asks for it. Where an aligned exposure's code is further than this
/// (in [0, 1] code units) outside what the reference's code predicts through the exposures' intensity mapping,
/// its selection mask is closed and the merge keeps the reference (<see cref="Blocks.ExposureConsistency"/>).
/// It catches the motion the flow cannot follow, which the masks alone miss on real brackets.
/// </param>
/// <param name="StructureTolerance">
/// Not in the paper; null (off) unless a model asks for it. Where an aligned exposure's local structure disagrees with
/// the reference's (one minus their regularised correlation, averaged over the gate's window, above this), its
/// selection mask is closed (<see cref="Blocks.StructuralConsistency"/>). It catches misaligned content of about the
/// right brightness, which the photometric gate lets through.
/// </param>
/// <param name="StructureReduction">
/// The structural gate works on k × k block means of the reference and the aligned exposures (k = this; 1: every
/// pixel), with its radius divided by k and its gates brought back to the input bilinearly. Not in the paper; 1
/// unless a model asks for more. At 2 the gate works on a quarter of the pixels (its effect on speed and on the
/// validation figures: bench/results/merge.md).
/// </param>
/// <param name="ClippedFloor">
/// Not in the paper; off unless a model asks for it. Where a reference channel is clipped, the output is at least the
/// reference's linear value there (<see cref="Blocks.ClippedReferenceFloor"/>): a white reference bounds the scene
/// from below whatever the flow did.
/// </param>
/// <param name="Refine">
/// False: output the explicit merge and skip the refine net (its weights still load). HdrKit's default model
/// ships that way: its refine net, trained on simulated brackets, lowered PSNR-μ on the validation set and
/// washed out saturated colours on real ones (docs/default-model.md).
/// </param>
public sealed record SafNetConfig(int EncoderWidth = 40, bool FullRefiner = false, double AlignmentScale = 0.5, double? ConsistencyTolerance = null, bool Refine = true, double? StructureTolerance = null, bool ClippedFloor = false, int StructureReduction = 1)
{
    /// <summary>Sizes the alignment branch works at are multiples of this (four stride-2 levels).</summary>
    public const int AlignmentMultiple = 16;

    /// <summary>Pixels by which a rejected area is grown and then feathered.</summary>
    public const int ConsistencyRadius = 6;

    /// <summary>Pixels by which the structural gate averages, grows and feathers; with its statistics window the check reaches 15 px, inside a quarter of the tiles' 64 px overlap.</summary>
    public const int StructureRadius = 4;

    public static SafNetConfig Small { get; } = new();

    public static SafNetConfig Full { get; } = new(FullRefiner: true);

    public static SafNetConfig FromOptions(ModelOptions options, SafNetConfig defaults)
    {
        if (options.Exposures != 3) throw new ArgumentException($"SAFNet merges exactly 3 exposures, not {options.Exposures}");
        var config = defaults with
        {
            EncoderWidth = options.Width ?? defaults.EncoderWidth,
            AlignmentScale = options.ExtraDouble("alignment_scale") ?? defaults.AlignmentScale,
            ConsistencyTolerance = options.ExtraDouble("consistency_tolerance") ?? defaults.ConsistencyTolerance,
            StructureTolerance = options.ExtraDouble("structure_tolerance") ?? defaults.StructureTolerance,
            Refine = options.ExtraBool("refine") ?? defaults.Refine,
            ClippedFloor = options.ExtraBool("clipped_floor") ?? defaults.ClippedFloor,
            StructureReduction = options.ExtraInt("structure_reduction") ?? defaults.StructureReduction,
        };
        if (config.EncoderWidth < 1) throw new ArgumentException($"SAFNet encoder width must be positive, got {config.EncoderWidth}");
        if (config.AlignmentScale is <= 0 or > 1) throw new ArgumentException($"alignment_scale must be in (0, 1], got {config.AlignmentScale}");
        if (config.ConsistencyTolerance is <= 0 or >= 1) throw new ArgumentException($"consistency_tolerance must be in (0, 1), got {config.ConsistencyTolerance}");
        if (config.StructureTolerance is <= 0 or >= 1) throw new ArgumentException($"structure_tolerance must be in (0, 1), got {config.StructureTolerance}");
        if (config.StructureReduction is < 1 or > SafNetConfig.StructureRadius)
            throw new ArgumentException($"structure_reduction must be 1 to {SafNetConfig.StructureRadius} (block size of the structural gate), got {config.StructureReduction}");
        return config;
    }
}
