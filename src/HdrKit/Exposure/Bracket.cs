using HdrKit.Imaging;

namespace HdrKit.Exposure;

/// <summary>
/// Differently exposed LDR frames of one scene: camera-encoded values in [0,1], exposure times in seconds,
/// and the frame whose geometry the merged HDR must follow.
/// </summary>
public sealed class Bracket
{
    public IReadOnlyList<FloatImage> Frames { get; }
    public IReadOnlyList<double> ExposureSeconds { get; }
    public int ReferenceIndex { get; }

    public Bracket(IReadOnlyList<FloatImage> frames, IReadOnlyList<double> exposureSeconds, int? referenceIndex = null)
    {
        if (frames.Count < 2) throw new ArgumentException($"a bracket needs at least 2 exposures, got {frames.Count}");
        if (exposureSeconds.Count != frames.Count)
            throw new ArgumentException($"{frames.Count} images but {exposureSeconds.Count} exposure times");
        for (int i = 0; i < frames.Count; i++)
        {
            if (!frames[i].SameSize(frames[0]))
                throw new ArgumentException($"image {i + 1} is {frames[i].Width}x{frames[i].Height}, image 1 is {frames[0].Width}x{frames[0].Height}: all exposures must have the same size");
            if (frames[i].Channels != 3)
                throw new ArgumentException($"image {i + 1} has {frames[i].Channels} channels, expected RGB");
            if (!(exposureSeconds[i] > 0) || !double.IsFinite(exposureSeconds[i]))
                throw new ArgumentException($"exposure time of image {i + 1} must be a positive number of seconds, got {exposureSeconds[i]}");
        }
        int reference = referenceIndex ?? frames.Count / 2;
        if (reference < 0 || reference >= frames.Count)
            throw new ArgumentException($"reference index {reference + 1} is outside 1..{frames.Count}");
        Frames = frames; ExposureSeconds = exposureSeconds; ReferenceIndex = reference;
    }

    public int Count => Frames.Count;
    public int Width => Frames[0].Width;
    public int Height => Frames[0].Height;

    /// <summary>Frames ordered from shortest to longest exposure, the order the networks were trained on.</summary>
    public Bracket SortedByExposure()
    {
        var order = Enumerable.Range(0, Count).OrderBy(i => ExposureSeconds[i]).ToArray();
        if (order.SequenceEqual(Enumerable.Range(0, Count))) return this;
        return new Bracket(order.Select(i => Frames[i]).ToArray(), order.Select(i => ExposureSeconds[i]).ToArray(),
            Array.IndexOf(order, ReferenceIndex));
    }

    /// <summary>Exposure of each frame in stops relative to the reference: log2(t_i / t_ref).</summary>
    public double[] RelativeStops() =>
        ExposureSeconds.Select(t => Math.Log2(t / ExposureSeconds[ReferenceIndex])).ToArray();
}
