using HdrKit.Training.Components;

namespace HdrKit.Training.Recipes;

/// <summary>
/// The `semi` recipe's `recipe_options`, with the paper's values as defaults (reference-notes §5): EMA α,
/// supervised warm-up (30 of 200 epochs), λ_u with an optional linear ramp after the warm-up, the judge's tap
/// and width, the bi-level mask thresholds, and the student's extra RGB shuffle of unlabelled rows.
/// </summary>
public sealed record SemiSupervisedOptions
{
    public double EmaAlpha { get; init; } = MeanTeacher<JudgedNetwork>.PaperAlpha;
    /// <summary>Epochs of supervised-only training before the teacher is copied from the student and pseudo labels start.</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>λ_u, the weight of the unsupervised loss (reconstruction + L^k on the kept area).</summary>
    public double UnlabelledWeight { get; init; } = 1.0;
    /// <summary>Epochs over which λ_u ramps linearly from λ_u/ramp to λ_u after the warm-up; 0 = full weight at once.</summary>
    public int RampEpochs { get; init; }
    public string FeatureTap { get; init; } = "fused";
    public int JudgeHidden { get; init; } = 32;
    /// <summary>Judge learning rate; null = optimizer.lr.</summary>
    public double? JudgeLr { get; init; }
    /// <summary>False trains on the whole pseudo label (the plain mean-teacher ablation row).</summary>
    public bool Masking { get; init; } = true;
    public BiLevelMaskOptions Mask { get; init; } = new();
    /// <summary>Validate the teacher beside the student once it has started and export the better (`export: better`); false = `export: student`.</summary>
    public bool ExportBetter { get; init; } = true;
    /// <summary>
    /// Permute RGB of each unlabelled row (input and pseudo label alike) inside the recipe, so the loader can
    /// stay at `augment: weak` and labelled rows keep the paper's flip + rotation only.
    /// </summary>
    public bool StudentColourShuffle { get; init; } = true;
    /// <summary>Unlabelled scenes (the first in scene order) whose pseudo label, σ and masks are drawn in epochs that end in a validation.</summary>
    public int PictureScenes { get; init; } = 2;

    public static SemiSupervisedOptions From(TrainingConfig config)
    {
        var o = config.RecipeOptions;
        var defaults = new BiLevelMaskOptions();
        var quantiles = o.GetList("mask_quantiles", [defaults.LowQuantile, defaults.HighQuantile]);
        if (quantiles.Count != 2) throw new ArgumentException($"{o.Path}.mask_quantiles must be [low, high], got {quantiles.Count} values");
        var options = new SemiSupervisedOptions
        {
            EmaAlpha = o.GetDouble("ema_alpha", MeanTeacher<JudgedNetwork>.PaperAlpha),
            // The paper's 30 of 200 epochs.
            WarmupEpochs = o.GetInt("warmup_epochs", (int)Math.Round(config.Epochs * 30.0 / 200)),
            UnlabelledWeight = o.GetDouble("unlabelled_weight", 1.0),
            RampEpochs = o.GetInt("ramp_epochs", 0),
            FeatureTap = o.GetString("feature", "fused"),
            JudgeHidden = o.GetInt("judge_hidden", 32),
            JudgeLr = o.Contains("judge_lr") ? o.GetDouble("judge_lr") : null,
            Masking = o.GetBool("masking", true),
            Mask = new BiLevelMaskOptions(o.GetInt("mask_patch", defaults.PatchSize), o.GetDouble("tau_patch", defaults.PatchThreshold),
                o.GetDouble("tau_pixel", defaults.PixelThreshold), ParseNormalisation(o.GetString("mask_normalisation", "global-quantile"), o.Path),
                quantiles[0], quantiles[1], o.GetInt("mask_border", defaults.Border)),
            ExportBetter = o.GetString("export", "better") switch
            {
                "better" => true,
                "student" => false,
                var other => throw new ArgumentException($"{o.Path}.export must be better or student, got '{other}'"),
            },
            StudentColourShuffle = o.GetBool("student_colour_shuffle", true),
            PictureScenes = o.GetInt("picture_scenes", 2),
        };
        try { options.Mask.Check(); }
        catch (ArgumentException e) { throw new ArgumentException($"{o.Path}: {e.Message}", e); }
        if (options.WarmupEpochs < 0) throw new ArgumentException($"{o.Path}.warmup_epochs must be ≥ 0, got {options.WarmupEpochs}");
        if (options.PictureScenes < 0) throw new ArgumentException($"{o.Path}.picture_scenes must be ≥ 0, got {options.PictureScenes}");
        if (options.RampEpochs < 0) throw new ArgumentException($"{o.Path}.ramp_epochs must be ≥ 0, got {options.RampEpochs}");
        if (!(options.UnlabelledWeight >= 0) || !double.IsFinite(options.UnlabelledWeight))
            throw new ArgumentException($"{o.Path}.unlabelled_weight must be a finite non-negative number, got {options.UnlabelledWeight}");
        return options;
    }

    private static UncertaintyNormalisation ParseNormalisation(string value, string path) => value switch
    {
        "global-quantile" => UncertaintyNormalisation.GlobalQuantile,
        "image-minmax" => UncertaintyNormalisation.ImageMinMax,
        _ => throw new ArgumentException($"{path}.mask_normalisation must be global-quantile or image-minmax, got '{value}'"),
    };

    /// <summary>λ_u in <paramref name="epoch"/>: 0 during the warm-up, then ramped.</summary>
    public double UnlabelledWeightAt(int epoch)
    {
        if (epoch < WarmupEpochs) return 0;
        if (RampEpochs == 0) return UnlabelledWeight;
        return UnlabelledWeight * Math.Min(1.0, (epoch - WarmupEpochs + 1) / (double)RampEpochs);
    }
}
