using HdrKit.Imaging;

namespace HdrKit.Exposure;

/// <summary>
/// Differently exposed LDR frames of one scene: camera-encoded values in [0,1], exposure times in seconds,
/// and the frame whose geometry the merged HDR must follow. A bracket read from files keeps the files' codes
/// (<see cref="Codes"/>) and makes each float frame only when something asks for it: a network merge packs its
/// tiles from the codes and never holds the float frames (0.86 GB for three 24 MP exposures).
/// </summary>
public sealed class Bracket
{
    private readonly Lazy<FloatImage>[] frames;

    /// <summary>The frames as [0, 1] floats; for a bracket of <see cref="Codes"/>, each is made on first use and kept.</summary>
    public IReadOnlyList<FloatImage> Frames { get; }

    /// <summary>The frames' 8/16-bit codes when the bracket was built from them, else null.</summary>
    public IReadOnlyList<CodeImage>? Codes { get; }

    public IReadOnlyList<double> ExposureSeconds { get; }
    public int ReferenceIndex { get; }

    public Bracket(IReadOnlyList<FloatImage> frames, IReadOnlyList<double> exposureSeconds, int? referenceIndex = null)
        : this(frames.Select(f => new Lazy<FloatImage>(f)).ToArray(), null, exposureSeconds, referenceIndex)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            if (!frames[i].SameSize(frames[0]))
                throw SizeMismatch(i, frames[i].Width, frames[i].Height, frames[0].Width, frames[0].Height);
            if (frames[i].Channels != 3)
                throw new ArgumentException($"image {i + 1} has {frames[i].Channels} channels, expected RGB");
        }
    }

    public Bracket(IReadOnlyList<CodeImage> codes, IReadOnlyList<double> exposureSeconds, int? referenceIndex = null)
        : this(codes.Select(c => new Lazy<FloatImage>(c.ToFloatImage, LazyThreadSafetyMode.ExecutionAndPublication)).ToArray(), codes, exposureSeconds, referenceIndex)
    {
        for (int i = 0; i < codes.Count; i++)
            if (codes[i].Width != codes[0].Width || codes[i].Height != codes[0].Height)
                throw SizeMismatch(i, codes[i].Width, codes[i].Height, codes[0].Width, codes[0].Height);
    }

    private Bracket(Lazy<FloatImage>[] frames, IReadOnlyList<CodeImage>? codes, IReadOnlyList<double> exposureSeconds, int? referenceIndex)
    {
        if (frames.Length < 2) throw new ArgumentException($"a bracket needs at least 2 exposures, got {frames.Length}");
        if (exposureSeconds.Count != frames.Length)
            throw new ArgumentException($"{frames.Length} images but {exposureSeconds.Count} exposure times");
        for (int i = 0; i < frames.Length; i++)
            if (!(exposureSeconds[i] > 0) || !double.IsFinite(exposureSeconds[i]))
                throw new ArgumentException($"exposure time of image {i + 1} must be a positive number of seconds, got {exposureSeconds[i]}");
        int reference = referenceIndex ?? frames.Length / 2;
        if (reference < 0 || reference >= frames.Length)
            throw new ArgumentException($"reference index {reference + 1} is outside 1..{frames.Length}");
        this.frames = frames;
        Frames = new LazyFrames(frames);
        Codes = codes;
        ExposureSeconds = exposureSeconds; ReferenceIndex = reference;
    }

    private static ArgumentException SizeMismatch(int i, int w, int h, int w0, int h0) =>
        new($"image {i + 1} is {w}x{h}, image 1 is {w0}x{h0}: all exposures must have the same size");

    public int Count => frames.Length;
    public int Width => Codes is { } c ? c[0].Width : Frames[0].Width;
    public int Height => Codes is { } c ? c[0].Height : Frames[0].Height;

    /// <summary>Frames ordered from shortest to longest exposure, the order the networks were trained on.</summary>
    public Bracket SortedByExposure()
    {
        var order = Enumerable.Range(0, Count).OrderBy(i => ExposureSeconds[i]).ToArray();
        if (order.SequenceEqual(Enumerable.Range(0, Count))) return this;
        return Subset(order, Array.IndexOf(order, ReferenceIndex));
    }

    /// <summary>
    /// The frames at <paramref name="indices"/>, in that order, with <paramref name="referenceIndex"/> (an index into
    /// <paramref name="indices"/>) as reference. Shares the frames (and codes) with this bracket.
    /// </summary>
    public Bracket Subset(IReadOnlyList<int> indices, int referenceIndex) =>
        new(indices.Select(i => frames[i]).ToArray(), Codes is { } c ? indices.Select(i => c[i]).ToArray() : null,
            indices.Select(i => ExposureSeconds[i]).ToArray(), referenceIndex);

    /// <summary>Exposure of each frame in stops relative to the reference: log2(t_i / t_ref).</summary>
    public double[] RelativeStops() =>
        ExposureSeconds.Select(t => Math.Log2(t / ExposureSeconds[ReferenceIndex])).ToArray();

    private sealed class LazyFrames(Lazy<FloatImage>[] frames) : IReadOnlyList<FloatImage>
    {
        public FloatImage this[int index] => frames[index].Value;

        public int Count => frames.Length;

        public IEnumerator<FloatImage> GetEnumerator() => frames.Select(f => f.Value).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
