using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// A simulated bracket and its ground truth. Radiance scale: sensor signal of exposure i = radiance·2^Stops[i],
/// with the shortest exposure at 0 stops; <see cref="GroundTruth"/> is the reference frame's radiance in that
/// scale (≤ 1 wherever the shortest exposure does not saturate), the convention under which Kalantari's
/// t = 2^stops and SAFNet's t = 2^(stops − min) coincide.
/// </summary>
public sealed class SimulatedScene
{
    public required string Name { get; init; }
    /// <summary>Encoded LDR frames in [0,1], shortest exposure first.</summary>
    public required IReadOnlyList<FloatImage> Frames { get; init; }
    /// <summary>Exposure of each frame in stops, shortest = 0, ascending.</summary>
    public required IReadOnlyList<double> Stops { get; init; }
    public required int ReferenceIndex { get; init; }
    public required FloatImage GroundTruth { get; init; }
    /// <summary>Segment ids of the reference frame: background regions, then each visible object.</summary>
    public LabelImage? Segments { get; init; }
    /// <summary>1 where any frame's geometry differs from the reference.</summary>
    public LabelImage? MotionMask { get; init; }
    public CameraModel? Camera { get; init; }
    /// <summary>Free-form provenance lines (maps used, camera, motion) written next to the scene.</summary>
    public IReadOnlyList<string> Provenance { get; init; } = [];

    public int Width => GroundTruth.Width;
    public int Height => GroundTruth.Height;

    public Bracket ToBracket() => new(Frames, Stops.Select(s => Math.Pow(2, s)).ToArray(), ReferenceIndex);
}
