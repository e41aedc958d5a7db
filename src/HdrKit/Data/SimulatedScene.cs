using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// A simulated (or read) bracket and its ground truth. Radiance scale, as Kalantari's data: stops count from the
/// shortest exposure (0/2/4, as exposure.txt), the sensor signal of exposure i is radiance·2^Stops[i] (full
/// well = 1), so <see cref="GroundTruth"/> is the reference frame's radiance in units of the shortest exposure:
/// LDR_ref^γ / 2^Stops[ref] wherever the reference is well exposed, above 1 only where even the shortest
/// exposure saturates.
/// </summary>
public sealed class SimulatedScene
{
    public required string Name { get; init; }
    /// <summary>Encoded LDR frames in [0,1], shortest exposure first.</summary>
    public required IReadOnlyList<FloatImage> Frames { get; init; }
    /// <summary>Exposure of each frame in stops (as exposure.txt: from the shortest exposure in our data and Kalantari's), ascending.</summary>
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

    /// <summary>
    /// Radiance relative to the reference exposure (what the classical merge and `hdrkit merge` write) in the ground
    /// truth's unit: divided by the reference's t = 2^Stops[ref].
    /// </summary>
    public FloatImage FromReferenceScale(FloatImage radiance) =>
        radiance.Clone().ScaleInPlace(MathF.Pow(2f, -(float)Stops[ReferenceIndex]));
}
