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

    /// <summary>
    /// The second validation set: the held-out maps again (the only maps neither training nor the independent check
    /// uses), but cameras, motion and metering from outside the training ranges (<see cref="CameraRanges.Shifted"/>,
    /// <see cref="MotionModel.Shifted"/>, more of the reference clipped), so it can see failures the first set, which
    /// shares the training generator, cannot.
    /// </summary>
    public static SimulationPreset ValidationShifted { get; } = new("validation-shifted",
        new SimulatorOptions
        {
            Width = 512, Height = 256, Exposures = 3, EvSteps = [2.0, 3.0],
            Camera = CameraRanges.Shifted, Motion = MotionModel.Shifted,
            CropScaleMin = 0.35, CropScaleMax = 0.7,
            MeteringPercentileMin = 0.8, MeteringPercentileMax = 0.97, MeteringLevelMin = 0.8, MeteringLevelMax = 1.4,
        },
        HeldOut: true, Seed: 20261203, Count: 24);

    public static SimulationPreset Training { get; } = new("training",
        new SimulatorOptions { Width = 256, Height = 256, Exposures = 3, EvSteps = [2.0, 3.0] },
        HeldOut: false, Seed: 1, Count: 1000);

    public static IReadOnlyList<SimulationPreset> All { get; } = [Validation, ValidationShifted, Training];

    public static SimulationPreset Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}'; expected one of {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>The corpus split this preset draws from.</summary>
    public HdrCorpus SelectMaps(HdrCorpus corpus) => HeldOut ? corpus.ValidationSplit() : corpus.TrainingSplit();
}
