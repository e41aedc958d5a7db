namespace HdrKit.Data;

/// <summary>
/// A named recipe for a simulated dataset: simulator options, which corpus split, seed and scene count.
/// <c>validation</c> is the fixed evaluation set: `hdrkit simulate --preset validation -o DIR` reproduces it
/// bit for bit from the bundled maps (tests pin a hash of its first scene).
/// </summary>
public sealed record SimulationPreset(string Name, SimulatorOptions Options, bool HeldOut, long Seed, int Count)
{
    public static SimulationPreset Validation { get; } = new("validation",
        new SimulatorOptions
        {
            Width = 512, Height = 256, Exposures = 3, EvSteps = [2.0, 3.0],
            Camera = CameraRanges.Kalantari,
            // The held-out panoramas are 512×256: keep crops at most 1:1 so scenes are not blurrier than needed.
            CropScaleMin = 0.5, CropScaleMax = 0.7,
        },
        HeldOut: true, Seed: 20261123, Count: 24);

    public static SimulationPreset Training { get; } = new("training",
        new SimulatorOptions { Width = 256, Height = 256, Exposures = 3, EvSteps = [2.0, 3.0] },
        HeldOut: false, Seed: 1, Count: 1000);

    public static IReadOnlyList<SimulationPreset> All { get; } = [Validation, Training];

    public static SimulationPreset Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}'; expected one of {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>The corpus split this preset draws from.</summary>
    public HdrCorpus SelectMaps(HdrCorpus corpus) => HeldOut ? corpus.ValidationSplit() : corpus.TrainingSplit();
}
