namespace HdrKit.Imaging;

/// <summary>
/// An LDR frame as the file stored it: planar RGB camera codes of 8 or 16 bits. A quarter (8-bit) or half (16-bit)
/// of its <see cref="FloatImage"/>, which is what lets a 24 MP bracket sit in memory while a network merges it
/// tile by tile: consumers map the codes of the rows they need through a table (<see cref="MapRow"/>) instead of
/// holding float frames. <see cref="ToFloatImage"/> gives exactly the samples <see cref="LdrImageFile.Read"/> returns.
/// </summary>
public sealed class CodeImage
{
    private readonly byte[]? bytes;
    private readonly ushort[]? words;

    private CodeImage(int width, int height, byte[]? bytes, ushort[]? words)
    {
        Width = width; Height = height; this.bytes = bytes; this.words = words;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>8 or 16.</summary>
    public int BitDepth => bytes != null ? 8 : 16;

    /// <summary>The largest code: 255 or 65535.</summary>
    public int MaxCode => (1 << BitDepth) - 1;

    /// <summary>The [0, 1] value of a code, as every reader computes it: code · (1 / MaxCode) in float.</summary>
    public float Scale => 1f / MaxCode;

    public int PixelCount => Width * Height;

    /// <summary>Planar copy of interleaved 8-bit samples with 1 (grey, replicated) or 3 channels per pixel.</summary>
    public static CodeImage FromInterleaved(ReadOnlySpan<byte> hwc, int width, int height, int channels) =>
        new(width, height, Planar(hwc, width, height, channels), null);

    /// <summary>Planar copy of interleaved 16-bit samples with 1 (grey, replicated) or 3 channels per pixel.</summary>
    public static CodeImage FromInterleaved(ReadOnlySpan<ushort> hwc, int width, int height, int channels) =>
        new(width, height, null, Planar(hwc, width, height, channels));

    private static T[] Planar<T>(ReadOnlySpan<T> hwc, int width, int height, int channels) where T : unmanaged
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}x{height}");
        if (channels is not (1 or 3)) throw new ArgumentException($"expected 1 or 3 channels, got {channels}");
        int n = width * height;
        if (hwc.Length != (long)n * channels) throw new ArgumentException($"{hwc.Length} samples for {width}x{height}x{channels}");
        var planes = new T[3L * n];
        for (int c = 0; c < 3; c++)
        {
            var plane = planes.AsSpan(c * n, n);
            int sc = channels == 1 ? 0 : c;
            for (int i = 0; i < n; i++) plane[i] = hwc[i * channels + sc];
        }
        return planes;
    }

    /// <summary>dst[k] = table[code of (x0 + k · step, y) in channel c]; the table has <see cref="MaxCode"/> + 1 entries.</summary>
    public void MapRow(int c, int y, int x0, ReadOnlySpan<float> table, Span<float> dst, int step = 1)
    {
        if (table.Length <= MaxCode) throw new ArgumentException($"table has {table.Length} entries, codes go to {MaxCode}");
        if (dst.IsEmpty) return;
        int start = (c * Height + y) * Width + x0, span = (dst.Length - 1) * step + 1;
        if (bytes != null)
        {
            var src = bytes.AsSpan(start, span);
            for (int k = 0; k < dst.Length; k++) dst[k] = table[src[k * step]];
        }
        else
        {
            var src = words.AsSpan(start, span);
            for (int k = 0; k < dst.Length; k++) dst[k] = table[src[k * step]];
        }
    }

    /// <summary>The value of every code, <see cref="Scale"/> · code: the table that maps codes to [0, 1].</summary>
    public float[] ValueTable()
    {
        var table = new float[MaxCode + 1];
        float scale = Scale;
        for (int k = 0; k < table.Length; k++) table[k] = k * scale;
        return table;
    }

    /// <summary>The frame as [0, 1] floats (3 channels).</summary>
    public FloatImage ToFloatImage()
    {
        var image = new FloatImage(Width, Height, 3);
        var table = ValueTable();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Height; y++)
                MapRow(c, y, 0, table, image.Row(c, y));
        return image;
    }
}
