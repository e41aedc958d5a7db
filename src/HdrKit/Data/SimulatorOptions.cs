namespace HdrKit.Data;

/// <summary>Everything that shapes the simulated brackets except the radiance maps and the seed.</summary>
public sealed record SimulatorOptions
{
    public int Width { get; init; } = 256;
    public int Height { get; init; } = 256;
    /// <summary>Exposures per bracket, 2..7; the reference is exposure count/2 (the middle one for odd counts).</summary>
    public int Exposures { get; init; } = 3;
    /// <summary>Stops between consecutive exposures; one is drawn per scene (Kalantari's data mixes 2 and 3).</summary>
    public IReadOnlyList<double> EvSteps { get; init; } = [2.0];
    public CameraRanges Camera { get; init; } = new();
    public MotionModel Motion { get; init; } = new();
    /// <summary>Map pixels per output pixel of the background crop (values below 1 magnify).</summary>
    public double CropScaleMin { get; init; } = 0.35;
    public double CropScaleMax { get; init; } = 1.0;
    public double MaxRollDegrees { get; init; } = 6;
    /// <summary>
    /// Auto-exposure of the reference: the luminance percentile <see cref="MeteringPercentileMin"/>…Max of the scene
    /// lands at sensor level <see cref="MeteringLevelMin"/>…Max in the reference exposure, so a few percent of the
    /// reference saturates, as in handheld brackets of high-contrast scenes.
    /// </summary>
    public double MeteringPercentileMin { get; init; } = 0.93;
    public double MeteringPercentileMax { get; init; } = 0.995;
    public double MeteringLevelMin { get; init; } = 0.6;
    public double MeteringLevelMax { get; init; } = 1.1;
    public int BackgroundClusters { get; init; } = 6;

    public void Validate()
    {
        if (Width < 16 || Height < 16) throw new ArgumentException($"scene size must be at least 16x16, got {Width}x{Height}");
        if (Exposures is < 2 or > 7) throw new ArgumentException($"exposures must be between 2 and 7, got {Exposures}");
        if (EvSteps.Count == 0 || EvSteps.Any(s => !(s > 0 && s <= 6)))
            throw new ArgumentException($"EV steps must be in (0, 6] stops, got [{string.Join(", ", EvSteps)}]");
        if (!(CropScaleMin > 0 && CropScaleMax >= CropScaleMin)) throw new ArgumentException("crop scale range is invalid");
        if (Motion.MinObjects < 0 || Motion.MaxObjects < Motion.MinObjects) throw new ArgumentException("object count range is invalid");
    }

    public int ReferenceIndex => Exposures / 2;
}
