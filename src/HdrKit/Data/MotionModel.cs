namespace HdrKit.Data;

/// <summary>
/// How things move between the exposures of a simulated bracket. Lengths are fractions of the smaller image
/// side, so the same model gives comparable scenes at 128×128 and at 1500×1000; per-step values apply between
/// consecutive exposures (exposure k is k steps from the reference).
/// </summary>
public sealed record MotionModel
{
    /// <summary>
    /// Residual camera shake left after global alignment (the classical pipeline and real datasets align first):
    /// translation σ in pixels. Sub-pixel by default, so the motion mask flags moving objects rather than the frame.
    /// </summary>
    public double ShakeTranslationPixels { get; init; } = 0.2;
    public double ShakeRotationDegrees { get; init; } = 0.03;
    public double ShakeScale { get; init; } = 0.0005;

    public int MinObjects { get; init; } = 1;
    public int MaxObjects { get; init; } = 4;
    /// <summary>Object radius range (fraction of the smaller side).</summary>
    public double ObjectRadiusMin { get; init; } = 0.06;
    public double ObjectRadiusMax { get; init; } = 0.25;
    /// <summary>Object displacement per exposure step (fraction of the smaller side).</summary>
    public double StepMin { get; init; } = 0.01;
    public double StepMax { get; init; } = 0.10;
    public double RotationPerStepDegrees { get; init; } = 6;
    public double ScalePerStep { get; init; } = 0.04;
    /// <summary>Chance that an object stays put (it still occludes; the motion mask must not flag it).</summary>
    public double StaticObjectProbability { get; init; } = 0.15;
    /// <summary>Chance that an object is a bright emitter/reflection that saturates the long exposures.</summary>
    public double BrightObjectProbability { get; init; } = 0.15;
    /// <summary>Width of the soft object edge in pixels (anti-aliasing plus slight defocus).</summary>
    public double EdgeSoftnessPixels { get; init; } = 1.5;
    /// <summary>
    /// Geometry differences below this many pixels do not count as motion in the motion mask: global alignment
    /// (MTB and the like) leaves about that much, and merges tolerate it.
    /// </summary>
    public double MotionThresholdPixels { get; init; } = 1.0;

    /// <summary>Nothing moves: shake off, no objects. Brackets are then registered copies at different exposures.</summary>
    public static MotionModel Static => new() { ShakeTranslationPixels = 0, ShakeRotationDegrees = 0, ShakeScale = 0, MinObjects = 0, MaxObjects = 0 };
}
