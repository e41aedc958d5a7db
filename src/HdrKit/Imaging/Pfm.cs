using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// Portable float maps: "PF" (RGB) or "Pf" (grey), width and height, then a scale whose sign gives the byte order
/// (negative: little-endian) and whose magnitude is ignored, as most tools do; then raw 32-bit floats, rows stored
/// bottom to top. Reading returns 3 or 1 channels as stored, top row first. Writing uses little-endian, scale -1.
/// </summary>
public static class Pfm
{
    public static FloatImage Read(string path) => Decode(ByteCursor.FromFile(path));

    public static FloatImage Read(byte[] file, string sourceName) => Decode(new ByteCursor(file, sourceName));

    /// <summary>Writes 1- or 3-channel images atomically. NaN, infinity and negative values are refused.</summary>
    public static void Write(string path, FloatImage image)
    {
        RadianceValidation.ThrowIfNotGreyOrRgb(image, path);
        RadianceValidation.ThrowIfInvalid(image, path);
        AtomicFile.Write(path, s => WriteUnchecked(s, image));
    }

    private static FloatImage Decode(ByteCursor cur)
    {
        string magic = Token(cur, "the PF/Pf magic");
        int channels = magic switch
        {
            "PF" => 3,
            "Pf" => 1,
            _ => throw cur.Error("not a PFM file (it does not start with PF or Pf)"),
        };
        int w = Int(cur, "width"), h = Int(cur, "height");
        string scaleText = Token(cur, "the scale");
        if (!double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out double scale) || scale == 0 || !double.IsFinite(scale))
            throw cur.Error($"has an invalid scale '{scaleText}' (must be a non-zero number)");
        cur.ReadByte("the header"); // the single whitespace character ending the header
        bool little = scale < 0;
        long bytes = (long)w * h * channels * 4;
        if (bytes > cur.Remaining)
            throw cur.Error($"file is truncated: {w}x{h} {magic} needs {bytes} bytes of pixels, {cur.Remaining} remain");
        InputBudget.CheckImage(cur.Source, w, h, channels);
        var img = new FloatImage(w, h, channels);
        var data = cur.ReadBytes((int)bytes, "pixels");
        int n = w * h;
        for (int row = 0; row < h; row++)
        {
            int y = h - 1 - row;
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++)
                {
                    var s = data.Slice(((row * w + x) * channels + c) * 4, 4);
                    img.Data[c * n + y * w + x] = little ? BinaryPrimitives.ReadSingleLittleEndian(s) : BinaryPrimitives.ReadSingleBigEndian(s);
                }
        }
        return img;
    }

    private static string Token(ByteCursor cur, string what)
    {
        while (!cur.AtEnd && IsSpace(Peek(cur))) cur.Position++;
        var sb = new StringBuilder();
        while (!cur.AtEnd && !IsSpace(Peek(cur)) && sb.Length < 64) sb.Append((char)cur.ReadByte());
        if (sb.Length == 0) throw cur.Error($"file is truncated while reading {what}");
        return sb.ToString();
    }

    private static byte Peek(ByteCursor cur)
    {
        byte b = cur.ReadByte();
        cur.Position--;
        return b;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    private static int Int(ByteCursor cur, string what)
    {
        string t = Token(cur, what);
        if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v <= 0)
            throw cur.Error($"has an invalid {what} '{t}'");
        return v;
    }

    private static void WriteUnchecked(Stream stream, FloatImage image)
    {
        int w = image.Width, h = image.Height, ch = image.Channels;
        stream.Write(Encoding.ASCII.GetBytes($"{(ch == 3 ? "PF" : "Pf")}\n{w} {h}\n-1.0\n"));
        var row = new byte[w * ch * 4];
        for (int y = h - 1; y >= 0; y--)
        {
            for (int c = 0; c < ch; c++)
            {
                var src = image.Row(c, y);
                for (int x = 0; x < w; x++)
                    BinaryPrimitives.WriteSingleLittleEndian(row.AsSpan((x * ch + c) * 4, 4), src[x]);
            }
            stream.Write(row);
        }
    }
}
