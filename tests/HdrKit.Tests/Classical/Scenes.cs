using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Classical;

/// <summary>Synthetic test scenes: known linear radiance, and brackets made from it through the γ camera model.</summary>
internal static class Scenes
{
    /// <summary>Log-uniform radiance spanning about 2^-6..2^6 with blobs and edges, deterministic per seed.</summary>
    public static FloatImage Radiance(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        var img = new FloatImage(width, height, 3);
        var blobs = Enumerable.Range(0, 24).Select(_ => (X: rng.NextDouble() * width, Y: rng.NextDouble() * height,
            R: 3 + rng.NextDouble() * width / 6, Stops: rng.NextDouble() * 6 - 3, Tint: rng.NextDouble())).ToArray();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double stops = 10.0 * x / width - 5 + Math.Sin(y * 0.3) * 0.5;
                foreach (var b in blobs)
                    if ((x - b.X) * (x - b.X) + (y - b.Y) * (y - b.Y) < b.R * b.R) stops += b.Stops;
                double e = Math.Pow(2, Math.Clamp(stops, -6, 6));
                var tint = blobs[(x / 7 + y / 5) % blobs.Length].Tint;
                img[0, y, x] = (float)(e * (0.6 + 0.4 * tint));
                img[1, y, x] = (float)e;
                img[2, y, x] = (float)(e * (1.0 - 0.4 * tint));
            }
        return img;
    }

    /// <summary>
    /// Stationary texture (overlapping discs of random brightness on a ±2-stop base, no global gradient) for
    /// alignment tests: every crop has about the same median, as in real photographs.
    /// </summary>
    public static FloatImage Texture(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        var stops = new double[width * height];
        for (int k = 0; k < width * height / 40; k++)
        {
            double cx = rng.NextDouble() * width, cy = rng.NextDouble() * height, r = 2 + rng.NextDouble() * 9, s = rng.NextDouble() * 4 - 2;
            for (int y = Math.Max(0, (int)(cy - r)); y < Math.Min(height, (int)(cy + r) + 1); y++)
                for (int x = Math.Max(0, (int)(cx - r)); x < Math.Min(width, (int)(cx + r) + 1); x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) stops[y * width + x] = s;
        }
        var img = new FloatImage(width, height, 3);
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < width * height; p++) img.Data[c * width * height + p] = (float)Math.Pow(2, stops[p] + 0.2 * c - 1);
        return img;
    }

    /// <summary>LDR frame of a radiance image through the γ 2.2 camera, 8-bit quantised, with optional code noise.</summary>
    public static FloatImage Expose(FloatImage radiance, double seconds, double noise = 0, int seed = 7)
    {
        var rng = new Random(seed);
        var ldr = new FloatImage(radiance.Width, radiance.Height, 3);
        for (int i = 0; i < ldr.Data.Length; i++)
        {
            double v = GammaResponse.ToLdr(radiance.Data[i], seconds);
            if (noise > 0) v += noise * Gaussian(rng);
            ldr.Data[i] = MathF.Round(Math.Clamp((float)v, 0f, 1f) * 255f) / 255f;
        }
        return ldr;
    }

    public static Bracket Bracket(FloatImage radiance, double[] seconds, int reference, double noise = 0) =>
        new(seconds.Select((t, i) => Expose(radiance, t, noise, seed: 11 + i)).ToArray(), seconds, reference);

    /// <summary>A copy with a w×h square of constant radiance at (x, y).</summary>
    public static FloatImage WithSquare(FloatImage radiance, int x, int y, int size, float value)
    {
        var copy = radiance.Clone();
        for (int c = 0; c < 3; c++)
            for (int j = y; j < y + size; j++)
                for (int i = x; i < x + size; i++) copy[c, j, i] = value * (c == 0 ? 1.2f : c == 1 ? 1f : 0.7f);
        return copy;
    }

    /// <summary>8-bit HWC frames from a fixture file as [0,1] images.</summary>
    public static FloatImage[] ReadU8Frames(string path, int count, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(count * width * height * 3, bytes.Length);
        int frameSize = width * height * 3;
        return Enumerable.Range(0, count).Select(i =>
            FloatImage.FromInterleaved(bytes.AsSpan(i * frameSize, frameSize).ToArray().Select(b => b / 255f).ToArray(), width, height, 3)).ToArray();
    }

    public static float[] ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
