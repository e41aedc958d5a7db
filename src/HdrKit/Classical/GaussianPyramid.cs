namespace HdrKit.Classical;

/// <summary>
/// Burt–Adelson pyramid steps on single float planes with the 5-tap binomial kernel [1 4 6 4 1]/16 and
/// reflect-101 borders (the conventions of OpenCV's pyrDown/pyrUp, so fusion results are comparable).
/// Down halves the size rounding up; Up inserts zeros, filters with twice the kernel per axis and crops.
/// </summary>
internal static class GaussianPyramid
{
    private static readonly float[] Kernel = { 1 / 16f, 4 / 16f, 6 / 16f, 4 / 16f, 1 / 16f };

    public static int Reflect101(int p, int length)
    {
        if (length == 1) return 0;
        while ((uint)p >= (uint)length) p = p < 0 ? -p : 2 * length - 2 - p;
        return p;
    }

    public static float[] Down(float[] src, int width, int height, out int outWidth, out int outHeight)
    {
        int dw = (width + 1) / 2, dh = (height + 1) / 2;
        var cols = DownTaps(width, dw);
        var rows = DownTaps(height, dh);
        outWidth = dw; outHeight = dh;
        return Separable(src, width, height, dw, dh, cols, rows);
    }

    public static float[] Up(float[] src, int width, int height, int outWidth, int outHeight)
    {
        if (outWidth > 2 * width || outHeight > 2 * height || outWidth < 2 * width - 1 || outHeight < 2 * height - 1)
            throw new ArgumentException($"cannot expand {width}x{height} to {outWidth}x{outHeight}", nameof(outWidth));
        return Separable(src, width, height, outWidth, outHeight, UpTaps(width, outWidth), UpTaps(height, outHeight));
    }

    // Each output coordinate reads five source coordinates with five weights (zero weights allowed).
    private readonly record struct Taps(int[] Index, float[] Weight);

    private static Taps DownTaps(int n, int outN)
    {
        var idx = new int[outN * 5];
        var w = new float[outN * 5];
        for (int o = 0; o < outN; o++)
            for (int j = 0; j < 5; j++)
            {
                idx[o * 5 + j] = Reflect101(2 * o + j - 2, n);
                w[o * 5 + j] = Kernel[j];
            }
        return new Taps(idx, w);
    }

    // Up-sampled signal u of length 2n has u[2i] = src[i], zeros between; it is reflected at its own ends and
    // cropped to outN (2n or 2n − 1), as OpenCV's pyrUp does.
    private static Taps UpTaps(int n, int outN)
    {
        var idx = new int[outN * 5];
        var w = new float[outN * 5];
        for (int o = 0; o < outN; o++)
            for (int j = 0; j < 5; j++)
            {
                int m = Reflect101(o + j - 2, 2 * n);
                bool even = (m & 1) == 0;
                idx[o * 5 + j] = even ? m / 2 : 0;
                w[o * 5 + j] = even ? 2 * Kernel[j] : 0f;
            }
        return new Taps(idx, w);
    }

    private static float[] Separable(float[] src, int width, int height, int outWidth, int outHeight, Taps cols, Taps rows)
    {
        var tmp = new float[outWidth * height];
        Parallel.For(0, height, y =>
        {
            var s = src.AsSpan(y * width, width);
            var d = tmp.AsSpan(y * outWidth, outWidth);
            for (int x = 0; x < outWidth; x++)
            {
                int b = x * 5;
                float acc = 0;
                for (int j = 0; j < 5; j++) acc += cols.Weight[b + j] * s[cols.Index[b + j]];
                d[x] = acc;
            }
        });
        var dst = new float[outWidth * outHeight];
        Parallel.For(0, outHeight, y =>
        {
            var d = dst.AsSpan(y * outWidth, outWidth);
            int b = y * 5;
            for (int j = 0; j < 5; j++)
            {
                float w = rows.Weight[b + j];
                if (w == 0) continue;
                var s = tmp.AsSpan(rows.Index[b + j] * outWidth, outWidth);
                for (int x = 0; x < outWidth; x++) d[x] += w * s[x];
            }
        });
        return dst;
    }
}
