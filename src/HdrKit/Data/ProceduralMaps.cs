using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// Small procedural radiance maps (about 10 stops, textured, with a bright "sun"): what `data.kind: synthetic`
/// simulates from, so a config or a test trains anywhere without map files. A smoke corpus, not training data.
/// </summary>
public static class ProceduralMaps
{
    public static RadianceMap Make(string name, int seed, int width = 128, int height = 64)
    {
        var rng = new Random(seed);
        var img = new FloatImage(width, height, 3);
        double fx = rng.NextDouble() * 0.3 + 0.05, fy = rng.NextDouble() * 0.3 + 0.05;
        var tint = new[] { 0.6 + 0.8 * rng.NextDouble(), 1.0, 0.6 + 0.8 * rng.NextDouble() };
        int sx = rng.Next(width), sy = rng.Next(height / 2);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double sky = y < height / 2 ? 4.0 : 0.3; // bright upper half, darker ground
                double texture = 1 + 0.5 * Math.Sin(fx * x) * Math.Cos(fy * y);
                double sun = (x - sx) * (x - sx) + (y - sy) * (y - sy) < 9 ? 400 : 0;
                for (int c = 0; c < 3; c++) img[c, y, x] = (float)(tint[c] * (sky * texture + sun) * 0.1);
            }
        return new RadianceMap(name, img);
    }

    public static RadianceMap[] Corpus() => [Make("a", 1), Make("b", 2), Make("c", 3)];
}
