namespace HdrKit.Data;

/// <summary>
/// A view into a radiance map: an affine map from view coordinates to map pixel coordinates (crop, rescale,
/// rotation, flip) and a gain, sampled bilinearly. Sampling the map directly, instead of a pre-cut crop, keeps
/// camera shake and object motion free of border artefacts and lets crops straddle a panorama's seam.
/// </summary>
public sealed class PanoramaView
{
    public RadianceMap Map { get; }
    public Affine2D ViewToMap { get; }
    public float Gain { get; }

    public PanoramaView(RadianceMap map, Affine2D viewToMap, float gain = 1f)
    {
        Map = map; ViewToMap = viewToMap; Gain = gain;
    }

    public PanoramaView WithGain(float gain) => new(Map, ViewToMap, gain);

    /// <summary>
    /// A random crop of <paramref name="width"/>×<paramref name="height"/> view pixels: <paramref name="scale"/> map
    /// pixels per view pixel (shrunk if the crop would not fit), roll up to ±<paramref name="maxRollDegrees"/>,
    /// random horizontal flip. Panoramas are cropped around the horizon, where equirectangular distortion is low.
    /// </summary>
    public static PanoramaView RandomCrop(RadianceMap map, int width, int height, double scale, double maxRollDegrees, Random rng)
    {
        var img = map.Image;
        double roll = rng.Uniform(-maxRollDegrees, maxRollDegrees) * Math.PI / 180;
        bool flip = rng.Chance(0.5);
        // Footprint of the rotated crop in map pixels, per unit scale.
        double cos = Math.Abs(Math.Cos(roll)), sin = Math.Abs(Math.Sin(roll));
        double footW = width * cos + height * sin, footH = width * sin + height * cos;
        double bandTop = map.WrapsHorizontally ? 0.12 * img.Height : 0, bandBottom = map.WrapsHorizontally ? 0.88 * img.Height : img.Height;
        double maxScale = (bandBottom - bandTop - 2) / footH;
        if (!map.WrapsHorizontally) maxScale = Math.Min(maxScale, (img.Width - 2) / footW);
        scale = Math.Min(scale, maxScale);
        double halfH = footH * scale / 2, halfW = footW * scale / 2;
        double cy = rng.Uniform(bandTop + halfH + 0.5, bandBottom - halfH - 0.5);
        double cx = map.WrapsHorizontally ? rng.Uniform(0, img.Width) : rng.Uniform(halfW + 0.5, img.Width - halfW - 0.5);
        var toMap = Affine2D.Translation(cx, cy)
                    * Affine2D.RotationScale(roll, scale)
                    * new Affine2D(flip ? -1 : 1, 0, 0, 1, 0, 0)
                    * Affine2D.Translation(-width / 2.0, -height / 2.0);
        return new PanoramaView(map, toMap);
    }

    /// <summary>Radiance at continuous view position (x, y); the centre of view pixel (i, j) is (i + 0.5, j + 0.5).</summary>
    public void Sample(double x, double y, Span<float> rgb)
    {
        var (mx, my) = ViewToMap.Apply(x, y);
        var img = Map.Image;
        int w = img.Width, h = img.Height;
        // Map pixel i covers [i, i+1): its centre is i + 0.5.
        double fx = mx - 0.5, fy = my - 0.5;
        int x0 = (int)Math.Floor(fx), y0 = (int)Math.Floor(fy);
        float ax = (float)(fx - x0), ay = (float)(fy - y0);
        int x1 = x0 + 1, y1 = y0 + 1;
        if (Map.WrapsHorizontally) { x0 = Mod(x0, w); x1 = Mod(x1, w); }
        else { x0 = Math.Clamp(x0, 0, w - 1); x1 = Math.Clamp(x1, 0, w - 1); }
        y0 = Math.Clamp(y0, 0, h - 1); y1 = Math.Clamp(y1, 0, h - 1);
        int n = w * h;
        var d = img.Data;
        int i00 = y0 * w + x0, i01 = y0 * w + x1, i10 = y1 * w + x0, i11 = y1 * w + x1;
        float w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
        for (int c = 0; c < 3; c++)
        {
            int o = c * n;
            rgb[c] = Gain * (w00 * d[o + i00] + w01 * d[o + i01] + w10 * d[o + i10] + w11 * d[o + i11]);
        }
    }

    private static int Mod(int a, int m) { int r = a % m; return r < 0 ? r + m : r; }
}
