using HdrKit.Losses;
using HdrKit.Training.Components;

namespace HdrKit.Training.Recipes;

/// <summary>What the <see cref="SmhdrRecipe"/> masks: SMHDR's segments, segment-free random pixels (the ablation's "random masking"), or nothing.</summary>
public enum SmhdrMasking
{
    None,
    Random,
    Semantic,
}

/// <summary>
/// The `recipe_options` of the `smhdr` recipe, read once and checked, so a typo fails at start-up rather than
/// silently training the paper's defaults. Every ablation row of the paper is a combination of these.
/// </summary>
public sealed record SmhdrOptions
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "masking", "curriculum", "peak_ratio", "constant_ratio", "mask_probability", "statistics_every",
        "weighted_loss", "loss_temperature", "mask_temperature", "exposure_finetune", "seed",
    ];

    public SmhdrMasking Masking { get; init; } = SmhdrMasking.Semantic;
    public required MaskingCurriculum Curriculum { get; init; }
    /// <summary>Fixed global ratio instead of the curriculum (the ablation's "masking without curriculum"); null = curriculum.</summary>
    public double? ConstantRatio { get; init; }
    public double MaskProbability { get; init; } = SegmentFeatureMasker.PaperSegmentProbability;
    public bool WeightedLoss { get; init; } = true;
    /// <summary>τ in softmax_seg(−τ·PSNR-μ): larger puts more weight on the worst segments.</summary>
    public double LossTemperature { get; init; } = -SegmentWeights.LossScale;
    /// <summary>τ in softmax_seg(τ·PSNR-μ) for the per-segment masking ratios.</summary>
    public double MaskTemperature { get; init; } = SegmentWeights.MaskScale;
    /// <summary>Train only the exposure-dependent parameters (SMNet's conv_first), to fine-tune to a new exposure count.</summary>
    public bool ExposureFinetune { get; init; }
    public ulong Seed { get; init; }

    /// <summary>Global masking ratio r for 0-based <paramref name="epoch"/>.</summary>
    public double Ratio(int epoch) => Masking == SmhdrMasking.None ? 0 : ConstantRatio ?? Curriculum.Ratio(epoch + 1);

    /// <summary>Per-segment statistics drive the loss weights and the semantic ratios; the other rows never need them.</summary>
    public bool NeedsStatistics => WeightedLoss || Masking == SmhdrMasking.Semantic;

    public static SmhdrOptions From(TrainingConfig config)
    {
        var o = config.RecipeOptions;
        var unknown = o.Keys.Where(k => !Keys.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"{o.Path}: unknown option(s) {string.Join(", ", unknown)} for recipe smhdr; known: {string.Join(", ", Keys)}");
        var masking = o.GetString("masking", "semantic").ToLowerInvariant() switch
        {
            "semantic" => SmhdrMasking.Semantic,
            "random" => SmhdrMasking.Random,
            "none" => SmhdrMasking.None,
            var m => throw new ArgumentException($"{o.Path}.masking: expected semantic, random or none, got '{m}'"),
        };
        double peak = o.GetDouble("peak_ratio", MaskingCurriculum.PaperPeakRatio);
        var milestones = o.GetList<double>("curriculum", [0.75, 0.875, 1.0]);
        double? constant = o.Contains("constant_ratio") ? o.GetDouble("constant_ratio") : null;
        if (constant is { } c && !(c >= 0)) throw new ArgumentException($"{o.Path}.constant_ratio must be ≥ 0, got {c}");
        double probability = o.GetDouble("mask_probability", SegmentFeatureMasker.PaperSegmentProbability);
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentException($"{o.Path}.mask_probability must lie in [0, 1], got {probability}");
        var curriculum = BuildCurriculum(milestones, config.Epochs, peak, o.Contains("statistics_every") ? o.GetInt("statistics_every") : null, o.Path);
        return new SmhdrOptions
        {
            Masking = masking,
            Curriculum = curriculum,
            ConstantRatio = constant,
            MaskProbability = probability,
            WeightedLoss = o.GetBool("weighted_loss", true),
            LossTemperature = o.GetDouble("loss_temperature", -SegmentWeights.LossScale),
            MaskTemperature = o.GetDouble("mask_temperature", SegmentWeights.MaskScale),
            ExposureFinetune = o.GetBool("exposure_finetune", false),
            Seed = unchecked((ulong)o.GetLong("seed", config.Seed)),
        };
    }

    /// <summary>
    /// Three milestones (end of the unmasked phase, peak, end): fractions of the run when all are ≤ 1
    /// ([0.75, 0.875, 1] = the paper's proportions), otherwise absolute 1-based epochs ([300, 350, 400]).
    /// The statistics interval defaults to the paper's 5 epochs in 400, scaled with the schedule's length.
    /// </summary>
    public static MaskingCurriculum BuildCurriculum(IReadOnlyList<double> milestones, int epochs, double peakRatio, int? statisticsEvery, string path = "recipe_options")
    {
        if (milestones.Count != 3) throw new ArgumentException($"{path}.curriculum needs three milestones [unmasked end, peak, end], got {milestones.Count}");
        bool fractions = milestones.All(m => m <= 1);
        int[] at = milestones.Select(m => fractions ? (int)Math.Round(m * epochs) : (int)Math.Round(m)).ToArray();
        if (!fractions && milestones.Any(m => m != Math.Round(m)))
            throw new ArgumentException($"{path}.curriculum: epochs must be whole numbers (or all ≤ 1 as fractions), got [{string.Join(", ", milestones)}]");
        if (fractions && milestones[0] < milestones[1] && milestones[1] < milestones[2] && at[2] >= 3)
        {
            // Short runs: rounding may merge phases; keep each phase at least one epoch long, as MaskingCurriculum.Scaled does.
            at[0] = Math.Clamp(at[0], 0, at[2] - 2);
            at[1] = Math.Clamp(at[1], at[0] + 1, at[2] - 1);
        }
        var paper = MaskingCurriculum.Paper;
        int interval = statisticsEvery ?? Math.Max(1, (int)Math.Round(paper.StatisticsInterval * (double)at[2] / paper.End));
        try
        {
            return new MaskingCurriculum(at[0], at[1], at[2], peakRatio, interval);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}.curriculum [{string.Join(", ", milestones)}] over {epochs} epochs gives epochs [{string.Join(", ", at)}]: {e.Message}", e);
        }
    }
}
