using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// Splits a radiance image into regions the way a class-agnostic segmenter splits a background: k-means on
/// smoothed log luminance and chromaticity, then 4-connected components. Components smaller than
/// <see cref="MinArea"/> get id 0 (SMHDR's "unassigned and tiny segments share one id").
/// </summary>
public sealed class BackgroundSegmenter
{
    public int Clusters { get; }
    public int MinArea { get; }

    public BackgroundSegmenter(int clusters = 6, int minArea = 64)
    {
        if (clusters < 1) throw new ArgumentException($"need at least one cluster, got {clusters}");
        Clusters = clusters; MinArea = Math.Max(1, minArea);
    }

    /// <summary>Segment ids 1..m for regions (scan order of first pixel), 0 for tiny regions.</summary>
    public LabelImage Segment(FloatImage radiance)
    {
        int w = radiance.Width, h = radiance.Height, n = w * h;
        var features = Features(radiance);
        var cluster = KMeans(features, n);
        return ConnectedComponents(cluster, w, h);
    }

    /// <summary>Three planes: log2 luminance (one stop = 1) and two chromaticities scaled to comparable spread.</summary>
    private static float[][] Features(FloatImage img)
    {
        int n = img.PixelCount;
        var r = img.Plane(0); var g = img.Plane(1); var b = img.Plane(2);
        var f = new[] { new float[n], new float[n], new float[n] };
        for (int i = 0; i < n; i++)
        {
            float sum = r[i] + g[i] + b[i] + 1e-6f;
            float lum = 0.2126f * r[i] + 0.7152f * g[i] + 0.0722f * b[i];
            f[0][i] = MathF.Log2(lum + 1e-4f);
            f[1][i] = 6f * r[i] / sum;
            f[2][i] = 6f * b[i] / sum;
        }
        // Smooth so that texture and noise do not shatter regions into single pixels.
        foreach (var plane in f) BoxBlur(plane, img.Width, img.Height, 2);
        return f;
    }

    private int[] KMeans(float[][] f, int n)
    {
        int k = Math.Min(Clusters, n);
        // Deterministic start: centres at luminance quantiles, mean chromaticity.
        var order = Enumerable.Range(0, n).OrderBy(i => f[0][i]).ThenBy(i => i).ToArray();
        var centres = new float[k][];
        float meanC1 = f[1].Average(), meanC2 = f[2].Average();
        for (int j = 0; j < k; j++)
            centres[j] = [f[0][order[(int)((j + 0.5) * n / k)]], meanC1, meanC2];
        var assign = new int[n];
        for (int iter = 0; iter < 10; iter++)
        {
            Parallel.For(0, n, i => assign[i] = Nearest(centres, f, i));
            var sums = new double[k, 3]; var counts = new int[k];
            for (int i = 0; i < n; i++)
            {
                int a = assign[i]; counts[a]++;
                for (int d = 0; d < 3; d++) sums[a, d] += f[d][i];
            }
            for (int j = 0; j < k; j++)
                if (counts[j] > 0)
                    for (int d = 0; d < 3; d++) centres[j][d] = (float)(sums[j, d] / counts[j]);
        }
        return assign;
    }

    private static int Nearest(float[][] centres, float[][] f, int i)
    {
        int best = 0; float bestD = float.MaxValue;
        for (int j = 0; j < centres.Length; j++)
        {
            float d0 = f[0][i] - centres[j][0], d1 = f[1][i] - centres[j][1], d2 = f[2][i] - centres[j][2];
            float d = d0 * d0 + d1 * d1 + d2 * d2;
            if (d < bestD) { bestD = d; best = j; }
        }
        return best;
    }

    private LabelImage ConnectedComponents(int[] cluster, int w, int h)
    {
        int n = w * h;
        var component = new int[n];
        Array.Fill(component, -1);
        var sizes = new List<int>();
        var stack = new Stack<int>();
        for (int s = 0; s < n; s++)
        {
            if (component[s] >= 0) continue;
            int id = sizes.Count, size = 0;
            component[s] = id; stack.Push(s);
            while (stack.Count > 0)
            {
                int p = stack.Pop(); size++;
                int x = p % w, y = p / w;
                if (x > 0) Visit(p - 1); if (x < w - 1) Visit(p + 1);
                if (y > 0) Visit(p - w); if (y < h - 1) Visit(p + w);
            }
            sizes.Add(size);

            void Visit(int q)
            {
                if (component[q] < 0 && cluster[q] == cluster[s]) { component[q] = id; stack.Push(q); }
            }
        }
        var remap = new ushort[sizes.Count];
        int next = 1;
        for (int c = 0; c < sizes.Count; c++)
            remap[c] = sizes[c] >= MinArea && next < ushort.MaxValue ? (ushort)next++ : (ushort)0;
        var labels = new ushort[n];
        for (int i = 0; i < n; i++) labels[i] = remap[component[i]];
        return new LabelImage(w, h, labels);
    }

    internal static void BoxBlur(float[] plane, int w, int h, int radius)
    {
        var tmp = new float[plane.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0; int c = 0;
                for (int dx = -radius; dx <= radius; dx++)
                {
                    int xx = x + dx; if (xx < 0 || xx >= w) continue;
                    s += plane[y * w + xx]; c++;
                }
                tmp[y * w + x] = s / c;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0; int c = 0;
                for (int dy = -radius; dy <= radius; dy++)
                {
                    int yy = y + dy; if (yy < 0 || yy >= h) continue;
                    s += tmp[yy * w + x]; c++;
                }
                plane[y * w + x] = s / c;
            }
    }
}
