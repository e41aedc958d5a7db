namespace HdrKit.Classical;

/// <summary>Linear-time binary dilation and box feathering of W·H masks (square structuring element).</summary>
internal static class MaskFilters
{
    /// <summary>Pixels within Chebyshev distance <paramref name="radius"/> of a set pixel become set.</summary>
    public static byte[] Dilate(byte[] mask, int w, int h, int radius)
    {
        if (radius == 0) return (byte[])mask.Clone();
        var rows = new byte[mask.Length];
        Parallel.For(0, h, y => DilateLine(mask, rows, y * w, 1, w, radius));
        var result = new byte[mask.Length];
        Parallel.For(0, w, x => DilateLine(rows, result, x, w, h, radius));
        return result;
    }

    /// <summary>Two passes of a (2r+1)-wide box filter per axis (a tent of radius 2r), edges replicated; returns floats in [0,1].</summary>
    public static float[] Feather(byte[] mask, int w, int h, int radius)
    {
        var v = new float[mask.Length];
        for (int i = 0; i < v.Length; i++) v[i] = mask[i];
        if (radius == 0) return v;
        var tmp = new float[v.Length];
        for (int pass = 0; pass < 2; pass++)
        {
            Parallel.For(0, h, y => BoxLine(v, tmp, y * w, 1, w, radius));
            Parallel.For(0, w, x => BoxLine(tmp, v, x, w, h, radius));
        }
        return v;
    }

    /// <summary>
    /// A hard rejection mask made soft: dilated by <paramref name="dilateRadius"/> plus the feather's reach (2·feather),
    /// then feathered, so the soft edge lies outside the rejected pixels and they stay fully rejected.
    /// </summary>
    public static float[] Soften(byte[] mask, int w, int h, int dilateRadius, int featherRadius) =>
        Feather(Dilate(mask, w, h, dilateRadius + 2 * featherRadius), w, h, featherRadius);

    /// <summary>Fraction of a soft mask's pixels that are at least half set.</summary>
    public static double Coverage(ReadOnlySpan<float> mask)
    {
        int set = 0;
        foreach (var v in mask) if (v >= 0.5f) set++;
        return set / (double)mask.Length;
    }

    private static void DilateLine(byte[] src, byte[] dst, int start, int stride, int length, int radius)
    {
        int last = int.MinValue / 2;
        for (int i = 0; i < length; i++)
        {
            if (src[start + i * stride] != 0) last = i;
            if (i - last <= radius) dst[start + i * stride] = 1;
        }
        last = int.MaxValue / 2;
        for (int i = length - 1; i >= 0; i--)
        {
            if (src[start + i * stride] != 0) last = i;
            if (last - i <= radius) dst[start + i * stride] = 1;
        }
    }

    private static void BoxLine(float[] src, float[] dst, int start, int stride, int length, int radius)
    {
        float inv = 1f / (2 * radius + 1);
        double sum = 0;
        for (int j = -radius; j <= radius; j++) sum += src[start + Math.Clamp(j, 0, length - 1) * stride];
        for (int i = 0; i < length; i++)
        {
            dst[start + i * stride] = (float)(sum * inv);
            sum += src[start + Math.Min(i + radius + 1, length - 1) * stride] - src[start + Math.Max(i - radius, 0) * stride];
        }
    }
}
