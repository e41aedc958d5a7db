using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// One whole training scene as sources hand it to the patch loader and to epoch hooks: the LDR frames (short →
/// long) with their stops, and whatever labels the source has. <see cref="GroundTruth"/> is null for unlabelled
/// brackets (and for scenes a labelled subset left out), in the unit of the shortest exposure as
/// <see cref="SimulatedScene"/>.
/// </summary>
public sealed record TrainingScene
{
    /// <summary>Stable id across runs (folder name, or simulated scene name); recipes key per-scene state on it.</summary>
    public required string Id { get; init; }
    public required IReadOnlyList<FloatImage> Frames { get; init; }
    /// <summary>Exposure of each frame in stops, ascending (counted from the shortest frame for our data and Kalantari's).</summary>
    public required IReadOnlyList<double> Stops { get; init; }
    public required int ReferenceIndex { get; init; }
    public FloatImage? GroundTruth { get; init; }
    /// <summary>Segment ids of the reference frame (simulated segments.png, or a cached semantic-bank map).</summary>
    public LabelImage? Segments { get; init; }
    /// <summary>1 where any frame's geometry differs from the reference.</summary>
    public LabelImage? MotionMask { get; init; }

    public bool Labelled => GroundTruth != null;
    public int Width => Frames[0].Width;
    public int Height => Frames[0].Height;

    public Bracket ToBracket() => new(Frames, Stops.Select(s => Math.Pow(2, s)).ToArray(), ReferenceIndex);

    public static TrainingScene From(SimulatedScene scene, bool labelled = true) => new()
    {
        Id = scene.Name, Frames = scene.Frames, Stops = scene.Stops, ReferenceIndex = scene.ReferenceIndex,
        GroundTruth = labelled ? scene.GroundTruth : null, Segments = scene.Segments, MotionMask = scene.MotionMask,
    };

    /// <summary>The same scene without its ground truth (a labelled subset's left-out scenes).</summary>
    public TrainingScene WithoutGroundTruth() => this with { GroundTruth = null };
}
