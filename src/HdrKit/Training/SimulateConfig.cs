using HdrKit.Data;

namespace HdrKit.Training;

/// <summary>
/// A source's <c>simulate:</c> section: <see cref="SimulationSpec"/>'s keys (the `hdrkit simulate` options) plus
/// an optional cache folder. Null keys keep the preset's value; exposures default to the model's.
/// </summary>
public sealed class SimulateConfig
{
    public string Preset { get; set; } = "training";
    public long? Seed { get; set; }
    public int? Count { get; set; }
    public int Start { get; set; }
    /// <summary>"WxH", e.g. 256x256.</summary>
    public string? Size { get; set; }
    public int? Exposures { get; set; }
    public double[]? EvSteps { get; set; }
    /// <summary>random | kalantari | ideal.</summary>
    public string? Camera { get; set; }
    /// <summary>normal | large | static.</summary>
    public string? Motion { get; set; }
    public string[]? Hdri { get; set; }
    public bool AllMaps { get; set; }
    /// <summary>Folder the scenes are written to on first use and read from afterwards; null renders them on the fly.</summary>
    public string? Cache { get; set; }

    public SimulationSpec ToSpec(int modelExposures) => new()
    {
        Preset = Preset, Seed = Seed, Count = Count, Start = Start, Size = Size, Exposures = Exposures ?? modelExposures,
        EvSteps = EvSteps, Camera = Camera, Motion = Motion, Hdri = Hdri, AllMaps = AllMaps,
    };
}
