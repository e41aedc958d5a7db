namespace HdrKit.Training;

/// <summary>
/// The `data:` section: where batches come from and their shape. Either one source given by <see cref="Kind"/>
/// (with <see cref="Path"/>, <see cref="Labelled"/>, <see cref="Simulate"/>), or several in <see cref="Sources"/>,
/// whose scenes are sampled together (e.g. a labelled subset of a folder plus unlabelled brackets).
/// </summary>
public sealed class DataConfig
{
    /// <summary>Source type from <see cref="DataSourceRegistry"/>: synthetic (the default smoke corpus), kalantari, brackets, simulate.</summary>
    public string Kind { get; set; } = "synthetic";
    /// <summary>Alias of <see cref="Kind"/> (BasicSR's spelling); when set it wins.</summary>
    public string? Type { get; set; }
    /// <summary>Training scenes folder (kalantari) or brackets folder (brackets).</summary>
    public string? Path { get; set; }
    /// <summary>Which scenes of the single source keep their ground truth: true, false or {count|percent, seed}.</summary>
    public LabelledConfig Labelled { get; set; } = LabelledConfig.All;
    /// <summary>Simulator options of the single source (kind simulate).</summary>
    public SimulateConfig Simulate { get; set; } = new();
    /// <summary>Several sources mixed into one scene set; when non-empty, kind/path/labelled/simulate above are not used.</summary>
    public List<DataSourceConfig> Sources { get; set; } = new();
    /// <summary>Kalantari-layout folder of whole validation scenes (any kind); without it, synthetic data generates its own.</summary>
    public string? ValidationPath { get; set; }
    public int PatchSize { get; set; } = 128;
    public int BatchSize { get; set; } = 8;
    /// <summary>
    /// Labelled rows in every batch, the others drawn from the unlabelled scenes (Data.LabelledQuota); null samples
    /// all scenes uniformly. For few-label semi-supervised runs, where uniform batches mostly hold no labelled row.
    /// </summary>
    public int? LabelledPerBatch { get; set; }
    /// <summary>Optimiser steps per epoch; null means scenes / batch_size for scene sets, 100 for synthetic.</summary>
    public int? BatchesPerEpoch { get; set; }
    /// <summary>
    /// Exposure offsets in stops, short → long: used only by data without exposures of its own (synthetic, brackets
    /// with neither exposure.txt nor EXIF). Folders and the simulator bring their own.
    /// </summary>
    public double[] Stops { get; set; } = { -2, 0, 2 };
    /// <summary>Synthetic: how many full-size validation scenes, and their side length.</summary>
    public int ValidationScenes { get; set; } = 4;
    public int ValidationSize { get; set; } = 128;
    /// <summary>Kept so older configs and checkpoints parse; the simulator's motion model replaced it.</summary>
    public int MaxMotion { get; set; } = 4;
    /// <summary>none | weak (flips and 90° rotations, the references') | strong (weak + RGB shuffle); true = weak, false = none.</summary>
    public string Augment { get; set; } = "weak";

    /// <summary>The sources this section describes: <see cref="Sources"/>, or the single one given by kind.</summary>
    public IReadOnlyList<DataSourceConfig> EffectiveSources() => Sources.Count > 0 ? Sources
        : [new DataSourceConfig { Type = Type ?? Kind, Path = Path, Labelled = Labelled, Simulate = Simulate }];
}
