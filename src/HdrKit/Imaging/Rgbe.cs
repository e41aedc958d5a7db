namespace HdrKit.Imaging;

/// <summary>
/// Ward's shared-exponent pixel: three 8-bit mantissas and one exponent byte biased by 128, following his
/// color.c (setcolr / colr_color), so values round-trip the same way as with Radiance itself.
/// </summary>
public static class Rgbe
{
    /// <summary>Colours whose largest component is below this are stored as black, as in Radiance.</summary>
    public const double BlackThreshold = 1e-32;

    /// <summary>2^127: an exponent byte of 255 holds values below this; larger ones cannot be stored.</summary>
    public const float MaxEncodable = 1.7014118e38f;

    public static void Encode(float r, float g, float b, Span<byte> rgbe)
    {
        double v = Math.Max(r, Math.Max(g, b));
        if (!(v >= BlackThreshold))
        {
            rgbe[..4].Clear();
            return;
        }
        // v = m * 2^e with m in [0.5, 1), as frexp gives; scaling by 256 / 2^e is exact, so the largest mantissa
        // is floor(m * 256) <= 255 and never rounds up to 256.
        int e = Math.ILogB(v) + 1;
        double scale = Math.ScaleB(256.0, -e);
        rgbe[0] = r > 0 ? (byte)(r * scale) : (byte)0;
        rgbe[1] = g > 0 ? (byte)(g * scale) : (byte)0;
        rgbe[2] = b > 0 ? (byte)(b * scale) : (byte)0;
        rgbe[3] = (byte)(e + 128);
    }

    /// <summary>Decodes to the centre of the quantisation bin (+0.5), as Ward's colr_color does.</summary>
    public static (float r, float g, float b) Decode(ReadOnlySpan<byte> rgbe)
    {
        if (rgbe[3] == 0) return (0f, 0f, 0f);
        double f = Math.ScaleB(1.0, rgbe[3] - (128 + 8));
        return ((float)((rgbe[0] + 0.5) * f), (float)((rgbe[1] + 0.5) * f), (float)((rgbe[2] + 0.5) * f));
    }
}
