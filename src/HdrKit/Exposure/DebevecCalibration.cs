using HdrKit.Util;

namespace HdrKit.Exposure;

/// <summary>
/// Recovers an inverse camera response from a static bracket with Debevec &amp; Malik, "Recovering High Dynamic
/// Range Radiance Maps from Photographs" (SIGGRAPH 1997). For 8-bit codes z and sample pixels i in frames j it
/// solves, per channel, in least squares: w(z_ij)·[g(z_ij) − ln E_i] = w(z_ij)·ln t_j, g(128) = 0, and
/// λ·w(z)·g''(z) = 0 for z = 1..254, with the paper's hat weight w(z) = min(z, 255 − z). The returned table is
/// exp(g), i.e. relative linear exposure with f⁻¹(128/255) = 1.
/// </summary>
public static class DebevecCalibration
{
    public const int Levels = 256;

    /// <param name="bracket">A static (or aligned) bracket; frames in [0,1] are read as 8-bit codes.</param>
    /// <param name="samples">Pixel positions to use; null picks <see cref="GridSamples"/> of <paramref name="sampleCount"/>.</param>
    /// <param name="lambda">Smoothness weight λ (OpenCV and the paper use 10).</param>
    public static CameraResponse Calibrate(Bracket bracket, IReadOnlyList<(int X, int Y)>? samples = null,
        int sampleCount = 70, double lambda = 10)
    {
        if (!(lambda >= 0) || !double.IsFinite(lambda)) throw new ArgumentException($"lambda must be a non-negative number, got {lambda}", nameof(lambda));
        samples ??= GridSamples(bracket.Width, bracket.Height, sampleCount);
        if (samples.Count == 0) throw new ArgumentException("calibration needs at least one sample pixel", nameof(samples));
        foreach (var (x, y) in samples)
            if (x < 0 || y < 0 || x >= bracket.Width || y >= bracket.Height)
                throw new ArgumentException($"sample ({x},{y}) lies outside the {bracket.Width}x{bracket.Height} frames", nameof(samples));

        var tables = new float[3][];
        for (int c = 0; c < 3; c++) tables[c] = SolveChannel(bracket, samples, c, lambda);
        return new CameraResponse(MakeMonotone(tables));
    }

    /// <summary>The paper's hat weight on 8-bit codes: z for z ≤ 127, 255 − z above.</summary>
    public static double Weight(int z) => z <= 127 ? z : 255 - z;

    /// <summary>
    /// A regular grid of about <paramref name="count"/> pixels with the aspect ratio of the frame, laid out as
    /// OpenCV's CalibrateDebevec does with random = false, so both can be fed the same samples.
    /// </summary>
    public static IReadOnlyList<(int X, int Y)> GridSamples(int width, int height, int count)
    {
        if (count <= 0) throw new ArgumentException($"sample count must be positive, got {count}", nameof(count));
        int xPoints = Math.Max(1, (int)Math.Sqrt((double)count * width / height));
        int yPoints = Math.Max(1, count / xPoints);
        int stepX = Math.Max(1, width / xPoints), stepY = Math.Max(1, height / yPoints);
        var points = new List<(int, int)>();
        for (int i = 0, x = stepX / 2; i < xPoints; i++, x += stepX)
            for (int j = 0, y = stepY / 2; j < yPoints; j++, y += stepY)
                if (x < width && y < height) points.Add((x, y));
        return points;
    }

    private static float[] SolveChannel(Bracket bracket, IReadOnlyList<(int X, int Y)> samples, int channel, double lambda)
    {
        int n = bracket.Count, p = samples.Count;
        int rows = p * n + 1 + (Levels - 2), cols = Levels + p;
        var a = new double[rows * cols];
        var b = new double[rows];
        int eq = 0;
        for (int i = 0; i < p; i++)
        {
            var (x, y) = samples[i];
            for (int j = 0; j < n; j++)
            {
                int z = Code(bracket.Frames[j][channel, y, x]);
                double w = Weight(z);
                a[eq * cols + z] = w;
                a[eq * cols + Levels + i] = -w;
                b[eq] = w * Math.Log(bracket.ExposureSeconds[j]);
                eq++;
            }
        }
        a[eq * cols + Levels / 2] = 1; // g(128) = 0 fixes the free scale
        eq++;
        for (int z = 1; z < Levels - 1; z++)
        {
            double s = lambda * Weight(z);
            a[eq * cols + z - 1] = s;
            a[eq * cols + z] = -2 * s;
            a[eq * cols + z + 1] = s;
            eq++;
        }
        // Sample radiances no frame exposes well have all-zero columns; pin them to 0 instead of failing.
        for (int i = 0; i < p; i++)
        {
            bool any = false;
            for (int r = 0; r < p * n && !any; r++) any = a[r * cols + Levels + i] != 0;
            if (!any) { Array.Resize(ref a, a.Length + cols); Array.Resize(ref b, b.Length + 1); a[rows * cols + Levels + i] = 1; rows++; }
        }
        var x2 = DenseLeastSquares.Solve(a, b, rows, cols);
        var table = new float[Levels];
        for (int z = 0; z < Levels; z++) table[z] = (float)Math.Exp(x2[z]);
        return table;
    }

    private static int Code(float v) => (int)MathF.Round(Math.Clamp(v, 0f, 1f) * 255f);

    // Noise in the extreme codes can bend g backwards by a hair; a response is monotone by definition.
    private static float[][] MakeMonotone(float[][] tables)
    {
        foreach (var t in tables)
            for (int k = 1; k < t.Length; k++) t[k] = Math.Max(t[k], t[k - 1]);
        return tables;
    }
}
