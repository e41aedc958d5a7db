using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// One linear HDR image of the corpus. Equirectangular panoramas (width = 2·height) wrap around horizontally,
/// so crops may straddle the seam; ordinary photographs do not.
/// </summary>
public sealed class RadianceMap
{
    public string Name { get; }
    public FloatImage Image { get; }
    public bool WrapsHorizontally { get; }
    /// <summary>Median luminance of the positive pixels; the simulator meters object brightness against it.</summary>
    public float MedianLuminance { get; }

    public RadianceMap(string name, FloatImage image, bool? wrapsHorizontally = null)
    {
        if (image.Channels != 3) throw new ArgumentException($"radiance map '{name}' has {image.Channels} channels, expected RGB");
        int bad = image.FindInvalidRadiance();
        if (bad >= 0)
        {
            var (c, y, x) = image.Unravel(bad);
            throw new InvalidDataException($"radiance map '{name}' has an invalid value {image.Data[bad]} at x={x}, y={y}, channel {c}");
        }
        Name = name;
        Image = image;
        WrapsHorizontally = wrapsHorizontally ?? image.Width == 2 * image.Height;
        MedianLuminance = Median(Luminance(image));
    }

    internal static float[] Luminance(FloatImage img)
    {
        var r = img.Plane(0); var g = img.Plane(1); var b = img.Plane(2);
        var l = new float[img.PixelCount];
        for (int i = 0; i < l.Length; i++) l[i] = 0.2126f * r[i] + 0.7152f * g[i] + 0.0722f * b[i];
        return l;
    }

    internal static float Median(float[] values)
    {
        var positive = values.Where(v => v > 0).ToArray();
        if (positive.Length == 0) return 0f;
        Array.Sort(positive);
        return positive[positive.Length / 2];
    }
}
