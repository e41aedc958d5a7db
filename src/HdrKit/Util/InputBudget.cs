using System.Globalization;

namespace HdrKit.Util;

/// <summary>
/// How much memory a single input file may make a reader allocate. Readers check the sizes a header claims
/// against this budget (and against the file's length) before allocating, so a small file claiming a huge image
/// or tensor fails with one sentence instead of exhausting memory. The defaults are in docs/robustness.md; they
/// can be raised with the HDRKIT_MAX_PIXELS and HDRKIT_MAX_BYTES environment variables or by setting the
/// properties. Both kinds of refusal are <see cref="InvalidDataException"/>s naming the file, like every
/// other format error, so callers need one catch.
/// </summary>
public static class InputBudget
{
    public const long DefaultMaxPixels = 268_435_456;       // 2^28: 16384 x 16384
    public const long DefaultMaxBytes = 4L << 30;          // 4 GiB

    private static long _maxPixels = FromEnvironment("HDRKIT_MAX_PIXELS", DefaultMaxPixels);
    private static long _maxBytes = FromEnvironment("HDRKIT_MAX_BYTES", DefaultMaxBytes);
    // A scoped budget (tests, a server handling one request) must not leak into code running beside it.
    private static readonly AsyncLocal<(long Pixels, long Bytes)?> Scoped = new();

    /// <summary>Largest width × height one image file may decode to.</summary>
    public static long MaxPixels
    {
        get => Scoped.Value?.Pixels ?? Interlocked.Read(ref _maxPixels);
        set => Interlocked.Exchange(ref _maxPixels, Positive(value));
    }

    /// <summary>Largest number of bytes one file's decoded content (pixels, tensors, zip entries) may take.</summary>
    public static long MaxBytes
    {
        get => Scoped.Value?.Bytes ?? Interlocked.Read(ref _maxBytes);
        set => Interlocked.Exchange(ref _maxBytes, Positive(value));
    }

    /// <summary>Uses another budget for the current async flow (and the tasks it starts) until disposed.</summary>
    public static IDisposable Use(long maxPixels, long maxBytes)
    {
        var previous = Scoped.Value;
        Scoped.Value = (Positive(maxPixels), Positive(maxBytes));
        return new Restore(() => Scoped.Value = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static long Positive(long value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "a memory budget must be positive");

    /// <summary>Refuses an image of <paramref name="width"/> × <paramref name="height"/> × <paramref name="channels"/> float samples.</summary>
    public static void CheckImage(string source, long width, long height, int channels)
    {
        if (width <= 0 || height <= 0)
            throw new InvalidDataException($"{source}: has an invalid image size {width}x{height}");
        if (width > MaxPixels || height > MaxPixels || width * height > MaxPixels)
            throw new InvalidDataException($"{source}: a {width}x{height} image exceeds the pixel budget of {MaxPixels} pixels (raise it with HDRKIT_MAX_PIXELS)");
        CheckBytes(source, width * height * channels * sizeof(float), $"a {width}x{height}x{channels} float image", sizeof(float));
    }

    /// <summary>
    /// Refuses one allocation of <paramref name="bytes"/> bytes (negative means the size overflowed) held in an
    /// array of <paramref name="elementSize"/>-byte elements, which .NET also limits to <see cref="Array.MaxLength"/> elements.
    /// </summary>
    public static void CheckBytes(string source, long bytes, string what, int elementSize = 1)
    {
        if (bytes < 0 || bytes > MaxBytes)
            throw new InvalidDataException($"{source}: {what} would need {(bytes < 0 ? "more than 2^63" : bytes.ToString(CultureInfo.InvariantCulture))} bytes, over the budget of {MaxBytes} bytes (raise it with HDRKIT_MAX_BYTES)");
        if (bytes / elementSize > Array.MaxLength)
            throw new InvalidDataException($"{source}: {what} would need {bytes} bytes, more than one .NET array holds");
    }

    /// <summary>Multiplies sizes read from a file; an overflow is a format error rather than a wrapped value.</summary>
    public static long Product(string source, IEnumerable<long> factors, string what)
    {
        long p = 1;
        foreach (var f in factors)
        {
            if (f < 0) throw new InvalidDataException($"{source}: {what} has a negative dimension {f}");
            try { p = checked(p * f); }
            catch (OverflowException) { throw new InvalidDataException($"{source}: {what} overflows 64 bits"); }
        }
        return p;
    }

    private static long FromEnvironment(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v > 0 ? v : fallback;
}
