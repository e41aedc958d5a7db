using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// A simulated (or read) bracket and its ground truth. Radiance scale, as Kalantari's HDRImg.hdr: stops are
/// relative to the reference exposure (−2/0/+2), the sensor signal of exposure i is radiance·2^Stops[i] (full
/// well = 1), so <see cref="GroundTruth"/> is the reference frame's radiance relative to the reference exposure:
/// it equals LDR_ref^γ wherever the reference is well exposed and exceeds 1 only where the reference saturates.
/// </summary>
public sealed class SimulatedScene
{
    public required string Name { get; init; }
    /// <summary>Encoded LDR frames in [0,1], shortest exposure first.</summary>
    public required IReadOnlyList<FloatImage> Frames { get; init; }
    /// <summary>Exposure of each frame in stops relative to the reference (as exposure.txt), ascending.</summary>
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
