using HdrKit.Losses;
using HdrKit.Models.Auxiliary;

namespace HdrKit.Training.Recipes;

/// <summary>
/// The `skt` recipe's `recipe_options` (docs/semantic-transfer.md): loss weights of Eq. 14, the SPGRM's shape,
/// the knowledge bank and where its priors come from. A weight of 0 switches its term and, for SKAM, its modules
/// off, which is how the paper's ablation rows are configured.
/// </summary>
public sealed record SktOptions
{
    /// <summary>λ₁ of Eq. 14.</summary>
    public double ContentWeight { get; init; } = 1e-3;
    /// <summary>λ of Eq. 5 (VGG term inside L_content); 0 = pixel term only, no VGG weights needed.</summary>
    public double ContentPerceptual { get; init; } = SelfDistillation.PerceptualWeight;
    public string? VggWeights { get; init; }
    /// <summary>λ₂ of Eq. 14.</summary>
    public double ColorWeight { get; init; } = 100;
    public KdeHistogramOptions Histogram { get; init; } = new();
    /// <summary>Weight of Σ_k L_feat^k (1 in Eq. 14).</summary>
    public double FeatWeight { get; init; } = 1;
    public double SkamTeacherRatio { get; init; } = 0.5;
    /// <summary>The model's feature taps that get a SKAM, by name (a subset of its FeatureInfo); null = every tap.</summary>
    public IReadOnlyList<string>? Taps { get; init; }
    /// <summary>When true, L_spg also trains the ORM through SPGRM (its input is not detached).</summary>
    public bool SpgTrainsOrm { get; init; }
    public SpgrmConfig Spgrm { get; init; } = new();
    /// <summary>Base learning rate of the SPGRM + SKAM optimiser; null = optimizer.lr.</summary>
    public double? SpgrmLr { get; init; }
    /// <summary>"reference": the reference frame's priors, cached per scene; "output": priors of T(H_in) every step (the paper).</summary>
    public string Priors { get; init; } = "reference";
    /// <summary>"deeplab" (../shared/models/deeplabv3-mnv2-voc) or "random" (a frozen random-conv stand-in, for tests).</summary>
    public string Bank { get; init; } = "deeplab";
    public string? BankPath { get; init; }
    public int BankWorkingSize { get; init; } = 257;
    public long BankSeed { get; init; } = 1;
    /// <summary>Folder for the bank's per-scene cache files (reference priors only); null = memory only.</summary>
    public string? BankCache { get; init; }
    public float Mu { get; init; } = Exposure.MuLaw.Mu;

    private static readonly string[] Keys = ["content_weight", "content_perceptual", "vgg_weights", "color_weight", "histogram", "feat_weight",
        "skam_teacher_ratio", "taps", "spg_trains_orm", "spgrm", "spgrm_lr", "priors", "bank", "mu"];

    public static SktOptions From(OptionSection o)
    {
        // A misspelt weight would otherwise silently keep its default and change the ablation row it names.
        RequireKnown(o, Keys);
        RequireKnown(o.GetSection("spgrm"), ["width", "heads", "modules", "prior_channels", "use_priors"]);
        RequireKnown(o.GetSection("histogram"), ["bins", "bandwidth"]);
        RequireKnown(o.GetSection("bank"), ["type", "path", "working_size", "seed", "cache"]);
        var spgrm = o.GetSection("spgrm");
        var hist = o.GetSection("histogram");
        var bank = o.GetSection("bank");
        var defaults = new SktOptions();
        var options = new SktOptions
        {
            ContentWeight = o.GetDouble("content_weight", defaults.ContentWeight),
            ContentPerceptual = o.GetDouble("content_perceptual", defaults.ContentPerceptual),
            VggWeights = o.Contains("vgg_weights") ? o.GetString("vgg_weights") : null,
            ColorWeight = o.GetDouble("color_weight", defaults.ColorWeight),
            Histogram = new KdeHistogramOptions(hist.GetInt("bins", 64), Bandwidth: (float)hist.GetDouble("bandwidth", 0.05)),
            FeatWeight = o.GetDouble("feat_weight", defaults.FeatWeight),
            SkamTeacherRatio = o.GetDouble("skam_teacher_ratio", defaults.SkamTeacherRatio),
            Taps = o.Contains("taps") ? o.GetList<string>("taps") : null,
            SpgTrainsOrm = o.GetBool("spg_trains_orm", false),
            Spgrm = new SpgrmConfig(spgrm.GetInt("width", 32), spgrm.GetInt("heads", 2), spgrm.GetInt("modules", 3),
                spgrm.Contains("prior_channels") ? spgrm.GetList<int>("prior_channels") : null, spgrm.GetBool("use_priors", true)),
            SpgrmLr = o.Contains("spgrm_lr") ? o.GetDouble("spgrm_lr") : null,
            Priors = o.GetString("priors", defaults.Priors),
            Bank = bank.GetString("type", defaults.Bank),
            BankPath = bank.Contains("path") ? bank.GetString("path") : null,
            BankWorkingSize = bank.GetInt("working_size", defaults.BankWorkingSize),
            BankSeed = bank.GetLong("seed", defaults.BankSeed),
            BankCache = bank.Contains("cache") ? bank.GetString("cache") : null,
            Mu = (float)o.GetDouble("mu", defaults.Mu),
        };
        options.Validate(o.Path);
        return options;
    }

    private static void RequireKnown(OptionSection section, IReadOnlyCollection<string> known)
    {
        if (section.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new ArgumentException($"{section.Path}.{unknown} is not an skt option; known: {string.Join(", ", known)}");
    }

    public void Validate(string origin = "recipe_options")
    {
        foreach (var (name, w) in new[] { ("content_weight", ContentWeight), ("content_perceptual", ContentPerceptual), ("color_weight", ColorWeight), ("feat_weight", FeatWeight) })
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"{origin}.{name} must be a finite number ≥ 0, got {w}");
        if (Priors is not ("reference" or "output")) throw new ArgumentException($"{origin}.priors must be reference or output, got '{Priors}'");
        if (Bank is not ("deeplab" or "random")) throw new ArgumentException($"{origin}.bank.type must be deeplab or random, got '{Bank}'");
        if (SpgrmLr is { } lr && !(lr > 0)) throw new ArgumentException($"{origin}.spgrm_lr must be > 0, got {lr}");
        Histogram.Validate();
        Spgrm.Validate();
        _ = new SkamLoss(SkamTeacherRatio);
    }
}
