using HdrKit.Imaging;

namespace HdrKit.Exposure;

/// <summary>
/// Reinhard et al. 2002's global operator for previews that look like a photograph rather than the dark μ-law or
/// clipped linear renderings research code writes. Luminance L (Rec. 709 weights) is keyed so its log-average
/// maps to <see cref="Key"/>, compressed by L(1 + L/Lw²)/(1 + L) with the white point Lw taken at a high
/// luminance percentile (so the brightest few pixels roll off into white instead of the maximum darkening the
/// whole image), colour is carried over as (C/L)^s, and the result is sRGB-encoded.
/// Scale-invariant (the auto key removes any global factor), deterministic, and treats NaN, ±∞ and negative
/// samples as 0.
/// </summary>
public sealed record DisplayTonemap
{
    /// <summary>Display luminance the log-average scene luminance is mapped to before compression (middle grey).</summary>
    public double Key { get; init; } = 0.18;

    /// <summary>Percentile (0–100] of positive luminances that becomes white; pixels above it clip.</summary>
    public double WhitePercentile { get; init; } = 99.5;

    /// <summary>Colour exponent s in C_out = L_out·(C/L)^s: 1 keeps the scene's ratios, lower desaturates.</summary>
    public double Saturation { get; init; } = 0.8;

    /// <summary>Exposure bias in stops, applied after keying; the white point stays, so + stops clip more.</summary>
    public double ExposureStops { get; init; }

    // Luminances far below white carry no information for the key; flooring them keeps a few near-zero pixels from
    // dragging the log-average down. 2^-20 is relative to the white point, so scale invariance is kept.
    private const double FloorBelowWhite = 1.0 / (1 << 20);

    public static DisplayTonemap Default { get; } = new();

    /// <summary>Display-encoded (sRGB) image in [0,1] with the input's size; RGB or single-channel input.</summary>
    public FloatImage Apply(FloatImage hdr)
    {
        ArgumentNullException.ThrowIfNull(hdr);
        Validate(hdr);
        var luminance = Luminance(hdr);
        var curve = Fit(luminance);
        var result = new FloatImage(hdr.Width, hdr.Height, hdr.Channels);
        int n = hdr.PixelCount, channels = hdr.Channels;
        var src = hdr.Data;
        var dst = result.Data;
        double s = Saturation;
        Parallel.For(0, hdr.Height, y =>
        {
            for (int i = y * hdr.Width; i < (y + 1) * hdr.Width; i++)
            {
                double l = luminance[i];
                if (l <= 0) continue; // black stays black (dst is zero-initialised)
                double ld = curve.Map(l);
                for (int c = 0; c < channels; c++)
                {
                    double ratio = Sanitize(src[c * n + i]) / l;
                    double v = channels == 1 ? ld : ld * Math.Pow(ratio, s);
                    dst[c * n + i] = Srgb.Encode((float)v);
                }
            }
        });
        return result;
    }

    private void Validate(FloatImage hdr)
    {
        if (hdr.Channels != 1 && hdr.Channels != 3)
            throw new ArgumentException($"tonemapping needs an RGB or single-channel image, got {hdr.Channels} channels", nameof(hdr));
        if (!(Key > 0) || !double.IsFinite(Key))
            throw new ArgumentException($"key must be a positive number, got {Key}", nameof(Key));
        if (!(WhitePercentile > 0 && WhitePercentile <= 100))
            throw new ArgumentException($"white percentile must be in (0, 100], got {WhitePercentile}", nameof(WhitePercentile));
        if (!(Saturation >= 0) || !double.IsFinite(Saturation))
            throw new ArgumentException($"saturation must be a non-negative number, got {Saturation}", nameof(Saturation));
        if (!double.IsFinite(ExposureStops))
            throw new ArgumentException($"exposure bias must be a finite number of stops, got {ExposureStops}", nameof(ExposureStops));
    }

    /// <summary>The keyed Reinhard curve for one image: Map(L) = Ls(1 + Ls/Lw²)/(1 + Ls), Ls = gain·L.</summary>
    private readonly record struct Curve(double Gain, double White)
    {
        public double Map(double l)
        {
            double ls = Gain * l;
            return ls * (1 + ls / (White * White)) / (1 + ls);
        }
    }

    private Curve Fit(float[] luminance)
    {
        var positive = luminance.Where(l => l > 0).ToArray();
        if (positive.Length == 0) return new Curve(0, 1);
        Array.Sort(positive);
        double white = Percentile(positive, WhitePercentile);
        double floor = white * FloorBelowWhite;
        double logSum = 0;
        foreach (var l in positive) logSum += Math.Log(Math.Max(l, floor));
        double logAverage = Math.Exp(logSum / positive.Length);
        double key = Key / logAverage;
        // A white point below 1 would expand mid-tones (a flat grey image would map to white); from 1 on the curve
        // is at worst the identity.
        double keyedWhite = Math.Max(key * white, 1.0);
        return new Curve(key * Math.Pow(2, ExposureStops), keyedWhite);
    }

    /// <summary>Linear interpolation between order statistics (numpy's default), on sorted values.</summary>
    private static double Percentile(float[] sorted, double percentile)
    {
        double pos = percentile / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    internal static float[] Luminance(FloatImage hdr)
    {
        int n = hdr.PixelCount;
        var d = hdr.Data;
        var l = new float[n];
        if (hdr.Channels == 1)
        {
            for (int i = 0; i < n; i++) l[i] = Sanitize(d[i]);
            return l;
        }
        for (int i = 0; i < n; i++)
            l[i] = 0.2126f * Sanitize(d[i]) + 0.7152f * Sanitize(d[n + i]) + 0.0722f * Sanitize(d[2 * n + i]);
        return l;
    }

    internal static float Sanitize(float v) => float.IsFinite(v) && v > 0 ? v : 0f;
}
