using System.Globalization;
using System.Text;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// Radiance RGBE (.hdr / .pic) files after Ward's format description and his reference reader/writer.
/// <para>
/// Reading: "#?" magic line (RADIANCE, RGBE or any other program name), header variables up to a blank line,
/// a resolution string in any of its 8 orientations, and scanlines that are flat, old-style run-length encoded or
/// new-style (2, 2, hi, lo + per-component runs). The result is always in standard orientation: row 0 is the top,
/// column 0 the left edge.
/// </para>
/// <para>
/// EXPOSURE= lines: the format says the stored values were multiplied by the product of all EXPOSURE values, so
/// the reader divides by that product and returns radiance (pass <c>applyExposure: false</c> for the raw values).
/// Other variables (COLORCORR, PRIMARIES, PIXASPECT, VIEW, ...) are ignored. FORMAT=32-bit_rle_xyze files are
/// refused: converting CIE XYZ to RGB needs a choice of primaries the caller should make explicitly.
/// </para>
/// <para>Writing: "-Y H +X W", new-style RLE; widths outside [8, 32767] are written flat, which the format requires.</para>
/// </summary>
public static class RadianceHdr
{
    private const int MinRleWidth = 8, MaxRleWidth = 0x7fff, MinRun = 4;

    public static FloatImage Read(string path, bool applyExposure = true) =>
        Decode(ByteCursor.FromFile(path), applyExposure);

    public static FloatImage Read(byte[] file, string sourceName, bool applyExposure = true) =>
        Decode(new ByteCursor(file, sourceName), applyExposure);

    /// <summary>Writes atomically; an image with NaN, infinite or negative samples is refused before the disk is touched.</summary>
    public static void Write(string path, FloatImage image)
    {
        Validate(image, path);
        AtomicFile.Write(path, s => WriteUnchecked(s, image));
    }

    public static void Write(Stream stream, FloatImage image)
    {
        Validate(image, "the Radiance stream");
        WriteUnchecked(stream, image);
    }

    private static void Validate(FloatImage image, string target)
    {
        RadianceValidation.ThrowIfNotGreyOrRgb(image, target);
        RadianceValidation.ThrowIfInvalid(image, target);
        var d = image.Data;
        for (int i = 0; i < d.Length; i++)
            if (d[i] >= Rgbe.MaxEncodable)
            {
                var (c, y, x) = image.Unravel(i);
                throw new ArgumentException($"cannot write {target}: pixel (x={x}, y={y}) channel {c} is {d[i]}, above the largest RGBE value 2^127");
            }
    }

    // ---------------------------------------------------------------- reading

    /// <summary>Where the file's scanlines go: which image axis they run along and in which direction.</summary>
    private readonly record struct Layout(int Width, int Height, bool ScanlinesAreRows, bool MajorReversed, bool MinorReversed)
    {
        public int ScanlineCount => ScanlinesAreRows ? Height : Width;
        public int ScanlineLength => ScanlinesAreRows ? Width : Height;
    }

    private static FloatImage Decode(ByteCursor cur, bool applyExposure)
    {
        double exposure = ReadHeader(cur);
        var layout = ReadResolution(cur);
        // Every scanline takes at least one 4-byte pixel or RLE header, whatever its encoding.
        if (layout.ScanlineCount > cur.Remaining / 4)
            throw cur.Error($"is truncated: {layout.ScanlineCount} scanlines need at least {4L * layout.ScanlineCount} bytes, {cur.Remaining} remain");
        InputBudget.CheckImage(cur.Source, layout.Width, layout.Height, 3);
        var image = new FloatImage(layout.Width, layout.Height, 3);
        int len = layout.ScanlineLength;
        var scan = new byte[len * 4];
        float scale = applyExposure ? (float)(1.0 / exposure) : 1f;
        for (int s = 0; s < layout.ScanlineCount; s++)
        {
            ReadScanline(cur, scan, len, s);
            for (int i = 0; i < len; i++)
            {
                var (r, g, b) = Rgbe.Decode(scan.AsSpan(i * 4, 4));
                int major = layout.MajorReversed ? layout.ScanlineCount - 1 - s : s;
                int minor = layout.MinorReversed ? len - 1 - i : i;
                int x = layout.ScanlinesAreRows ? minor : major;
                int y = layout.ScanlinesAreRows ? major : minor;
                image[0, y, x] = r * scale;
                image[1, y, x] = g * scale;
                image[2, y, x] = b * scale;
            }
        }
        return image;
    }

    /// <summary>Parses the header up to the blank line and returns the product of its EXPOSURE values.</summary>
    private static double ReadHeader(ByteCursor cur)
    {
        if (cur.Length < 2 || cur.ReadByte() != '#' || cur.ReadByte() != '?')
            throw cur.Error("not a Radiance .hdr file (it does not start with #?RADIANCE)");
        cur.ReadLine("the header");
        double exposure = 1;
        while (true)
        {
            string line = cur.ReadLine("the header").TrimEnd('\r');
            if (line.Length == 0) break;
            if (line.StartsWith("FORMAT=", StringComparison.Ordinal))
            {
                string format = line["FORMAT=".Length..].Trim();
                if (format == "32-bit_rle_xyze")
                    throw cur.Error("holds CIE XYZ pixels (FORMAT=32-bit_rle_xyze), which are not supported; convert it to RGBE first");
                if (format != "32-bit_rle_rgbe")
                    throw cur.Error($"has unsupported pixel format '{format}', expected 32-bit_rle_rgbe");
            }
            else if (line.StartsWith("EXPOSURE=", StringComparison.Ordinal))
            {
                if (!double.TryParse(line.AsSpan("EXPOSURE=".Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double e)
                    || !(e > 0) || !double.IsFinite(e))
                    throw cur.Error($"has an invalid header line '{line}'");
                exposure *= e;
            }
        }
        return exposure;
    }

    private static Layout ReadResolution(ByteCursor cur)
    {
        string line = cur.ReadLine("the resolution string", 256).Trim();
        var t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (t.Length != 4 || !TryAxis(t[0], out char majorAxis, out bool majorPlus) || !TryAxis(t[2], out char minorAxis, out bool minorPlus)
            || majorAxis == minorAxis
            || !int.TryParse(t[1], NumberStyles.None, CultureInfo.InvariantCulture, out int majorCount)
            || !int.TryParse(t[3], NumberStyles.None, CultureInfo.InvariantCulture, out int minorCount)
            || majorCount <= 0 || minorCount <= 0)
            throw cur.Error($"has an invalid resolution string '{line}', expected e.g. '-Y 512 +X 768'");
        // Radiance's Y axis points up, so -Y walks from the top row down; +X walks left to right.
        return majorAxis == 'Y'
            ? new Layout(minorCount, majorCount, ScanlinesAreRows: true, MajorReversed: majorPlus, MinorReversed: !minorPlus)
            : new Layout(majorCount, minorCount, ScanlinesAreRows: false, MajorReversed: !majorPlus, MinorReversed: minorPlus);
    }

    private static bool TryAxis(string token, out char axis, out bool plus)
    {
        axis = token.Length == 2 ? token[1] : '\0';
        plus = token.Length == 2 && token[0] == '+';
        return token.Length == 2 && (token[0] == '+' || token[0] == '-') && (axis == 'X' || axis == 'Y');
    }

    private static void ReadScanline(ByteCursor cur, byte[] scan, int len, int index)
    {
        if (len < MinRleWidth || len > MaxRleWidth || cur.Remaining < 4)
        {
            ReadOldStyle(cur, scan, 0, len, index);
            return;
        }
        int p = cur.Position;
        var head = cur.ReadBytes(4, "a scanline");
        if (head[0] != 2 || head[1] != 2 || (head[2] & 0x80) != 0)
        {
            cur.Position = p;
            ReadOldStyle(cur, scan, 0, len, index);
            return;
        }
        int declared = head[2] << 8 | head[3];
        if (declared != len)
            throw cur.Error($"scanline {index} declares length {declared}, expected {len}");
        for (int c = 0; c < 4; c++)
        {
            for (int i = 0; i < len;)
            {
                int code = cur.ReadByte("a run-length encoded scanline");
                bool run = code > 128;
                int count = run ? code - 128 : code;
                if (count == 0 || i + count > len)
                    throw cur.Error($"scanline {index} has a corrupt run-length encoding");
                if (run)
                {
                    byte v = cur.ReadByte("a run-length encoded scanline");
                    for (int k = 0; k < count; k++) scan[(i + k) * 4 + c] = v;
                }
                else
                {
                    var lit = cur.ReadBytes(count, "a run-length encoded scanline");
                    for (int k = 0; k < count; k++) scan[(i + k) * 4 + c] = lit[k];
                }
                i += count;
            }
        }
    }

    /// <summary>
    /// Flat pixels, where a (1,1,1,n) pixel repeats the previous pixel n times; consecutive repeat pixels give
    /// successively higher bytes of the count (shift by 8 each), as in Ward's oldreadcolrs.
    /// </summary>
    private static void ReadOldStyle(ByteCursor cur, byte[] scan, int start, int len, int index)
    {
        int shift = 0;
        for (int i = start; i < len;)
        {
            var px = cur.ReadBytes(4, "a scanline");
            if (px[0] == 1 && px[1] == 1 && px[2] == 1)
            {
                long count = (long)px[3] << shift;
                if (i == 0 || i + count > len)
                    throw cur.Error($"scanline {index} has a corrupt old-style run");
                for (long k = 0; k < count; k++, i++)
                    Array.Copy(scan, (i - 1) * 4, scan, i * 4, 4);
                shift += 8;
            }
            else
            {
                px.CopyTo(scan.AsSpan(i * 4, 4));
                i++;
                shift = 0;
            }
        }
    }

    // ---------------------------------------------------------------- writing

    private static void WriteUnchecked(Stream stream, FloatImage image)
    {
        int w = image.Width, h = image.Height;
        var header = Encoding.ASCII.GetBytes($"#?RADIANCE\n# Written by HdrKit\nFORMAT=32-bit_rle_rgbe\n\n-Y {h} +X {w}\n");
        stream.Write(header);
        bool grey = image.Channels == 1;
        var scan = new byte[w * 4];
        var encoded = new byte[w * 4 * 2 + 4];
        for (int y = 0; y < h; y++)
        {
            var r = image.Row(0, y);
            var g = image.Row(grey ? 0 : 1, y);
            var b = image.Row(grey ? 0 : 2, y);
            for (int x = 0; x < w; x++) Rgbe.Encode(r[x], g[x], b[x], scan.AsSpan(x * 4, 4));
            if (w < MinRleWidth || w > MaxRleWidth)
                stream.Write(scan);
            else
                stream.Write(encoded, 0, EncodeScanline(scan, w, encoded));
        }
    }

    /// <summary>New-style RLE: each of the 4 components in turn as runs (count+128, value) and literals (count, bytes).</summary>
    internal static int EncodeScanline(byte[] scan, int len, byte[] dst)
    {
        int o = 0;
        dst[o++] = 2; dst[o++] = 2; dst[o++] = (byte)(len >> 8); dst[o++] = (byte)len;
        for (int c = 0; c < 4; c++)
        {
            int i = 0;
            while (i < len)
            {
                int run = RunLength(scan, c, i, len);
                if (run >= MinRun)
                {
                    dst[o++] = (byte)(128 + run);
                    dst[o++] = scan[i * 4 + c];
                    i += run;
                    continue;
                }
                // Literal up to the next worthwhile run (or 128 bytes, the most one literal can hold).
                int j = i + 1;
                while (j < len && j - i < 128 && RunLength(scan, c, j, len) < MinRun) j++;
                dst[o++] = (byte)(j - i);
                for (int k = i; k < j; k++) dst[o++] = scan[k * 4 + c];
                i = j;
            }
        }
        return o;
    }

    private static int RunLength(byte[] scan, int c, int start, int len)
    {
        byte v = scan[start * 4 + c];
        int n = 1;
        while (n < 127 && start + n < len && scan[(start + n) * 4 + c] == v) n++;
        return n;
    }
}
