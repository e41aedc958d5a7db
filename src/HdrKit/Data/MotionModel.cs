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
    /// <summary>
    /// Camera motion that global alignment did not remove: a translation of each non-reference frame, σ as a fraction
    /// of the smaller side per axis (0: none). Real handheld brackets keep tens of pixels where MTB locks onto the
    /// wrong layer or the reference clips (pingpong: 35–54 px at 1920×1080 under a white window), which the
    /// sub-pixel <see cref="ShakeTranslationPixels"/> never shows a network. The motion mask then flags the frame.
    /// </summary>
    public double CameraShiftFraction { get; init; }

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
    /// <summary>
    /// Chance that an object is a dark subject (1/32…1/4 of the background's median): a person against a window.
    /// The reference then sees it dark, the merge wants the long exposure there, and a merge that trusts a
    /// misaligned long exposure shows the background through the subject.
    /// </summary>
    public double DarkObjectProbability { get; init; } = 0;
    /// <summary>
    /// Chance that an object carries a limb: a smaller blob hinged at its rim that swings about the joint by up to
    /// <see cref="LimbSwingDegrees"/> per step on top of the body's motion (an arm, a paddle). Parts of one subject
    /// then move differently, which a single flow vector per region cannot follow.
    /// </summary>
    public double ArticulatedProbability { get; init; } = 0;
    public double LimbSwingDegrees { get; init; } = 25;
    /// <summary>
    /// Chance that an object is placed over the brightest part of the background (where the reference clips), so
    /// the merge must take a moving region from the short exposure rather than from the reference.
    /// </summary>
    public double SaturatedPlacementProbability { get; init; } = 0;
    /// <summary>Width of the soft object edge in pixels (anti-aliasing plus slight defocus).</summary>
    public double EdgeSoftnessPixels { get; init; } = 1.5;
    /// <summary>
    /// Geometry differences below this many pixels do not count as motion in the motion mask: global alignment
    /// (MTB and the like) leaves about that much, and merges tolerate it.
    /// </summary>
    public double MotionThresholdPixels { get; init; } = 1.0;

    /// <summary>
    /// Handheld brackets of people: large subjects moving up to a third of the frame between exposures (pingpong's
    /// player moves about 0.14 of the frame height per exposure, his arm more), often darker than what they cover.
    /// Beyond what a flow estimator trained on small crops can follow, so a merge must learn to fall back on the
    /// reference where the aligned exposures disagree with it.
    /// </summary>
    public static MotionModel Large => new()
    {
        ObjectRadiusMin = 0.12, ObjectRadiusMax = 0.4, StepMin = 0.06, StepMax = 0.35,
        RotationPerStepDegrees = 15, ScalePerStep = 0.08, StaticObjectProbability = 0.05, DarkObjectProbability = 0.4,
        MaxObjects = 3,
    };

    /// <summary>
    /// The motion of the shifted validation set: subjects as large and fast as <see cref="Large"/>, half of them
    /// with swinging limbs, many bright (clipping the reference on the mover) or placed over the clipped background.
    /// </summary>
    public static MotionModel Shifted => new()
    {
        ObjectRadiusMin = 0.08, ObjectRadiusMax = 0.35, StepMin = 0.04, StepMax = 0.3, MaxObjects = 4,
        RotationPerStepDegrees = 12, ScalePerStep = 0.06, StaticObjectProbability = 0.05,
        BrightObjectProbability = 0.3, DarkObjectProbability = 0.3, ArticulatedProbability = 0.5, LimbSwingDegrees = 25,
        SaturatedPlacementProbability = 0.5,
    };

    /// <summary>
    /// Training data for clipped references under motion: the normal model's sizes and speeds, but a third of the
    /// objects bright enough to clip the reference and 40 % placed over the brightest part of the background, so a
    /// network learns to take a moving, clipped region from the short exposure. Without limbs and at normal speeds, so
    /// the shifted validation set (<see cref="Shifted"/>) still differs from it in motion.
    /// </summary>
    public static MotionModel Clipping => new()
    {
        BrightObjectProbability = 0.35, SaturatedPlacementProbability = 0.4, DarkObjectProbability = 0.1,
    };

    /// <summary>
    /// Training data for handheld brackets: <see cref="Clipping"/>'s movers with the whole frame shifted by σ 0.03 of
    /// the smaller side (pingpong's residual camera shift), so a network learns to follow the camera where the
    /// reference is white and only the surrounding structure says where the frame went.
    /// </summary>
    public static MotionModel Handheld => Clipping with { CameraShiftFraction = 0.03 };

    /// <summary>
    /// <see cref="Handheld"/> with σ 0.07 of the smaller side: a network's flow is not scale-free, so to show it the
    /// 35–54 px that pingpong's frames keep at 1920×1080, a 512² scene needs more than pingpong's fraction of its side.
    /// </summary>
    public static MotionModel FarHandheld => Clipping with { CameraShiftFraction = 0.07 };

    /// <summary>
    /// Training data for fast movers the reference cannot show: <see cref="Clipping"/>'s kinds of movers, half of them
    /// bright, moving 0.04–0.2 of the frame per exposure (tens of pixels), so the flow must carry a short exposure's
    /// mover as far as a white reference hides it. Normal's rotation and scale and no limbs, so the shifted
    /// validation set still differs from it in articulated motion, and in camera and metering.
    /// </summary>
    public static MotionModel FastClipping => Clipping with
    {
        StepMin = 0.04, StepMax = 0.2, BrightObjectProbability = 0.5, SaturatedPlacementProbability = 0.5,
    };

    /// <summary>A motion model by name: normal (the default), large, clipping, fast-clipping, handheld, far-handheld, shifted or static.</summary>
    public static MotionModel Named(string name) => name.ToLowerInvariant() switch
    {
        "normal" => new MotionModel(),
        "large" => Large,
        "clipping" => Clipping,
        "fast-clipping" => FastClipping,
        "handheld" => Handheld,
        "far-handheld" => FarHandheld,
        "shifted" => Shifted,
        "static" => Static,
        _ => throw new ArgumentException($"motion must be normal, large, clipping, fast-clipping, handheld, far-handheld, shifted or static, got '{name}'"),
    };

    /// <summary>Nothing moves: shake off, no objects. Brackets are then registered copies at different exposures.</summary>
    public static MotionModel Static => new() { ShakeTranslationPixels = 0, ShakeRotationDegrees = 0, ShakeScale = 0, MinObjects = 0, MaxObjects = 0 };
}
