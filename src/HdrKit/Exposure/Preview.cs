using HdrKit.Imaging;

namespace HdrKit.Exposure;

/// <summary>
/// Display renderings of linear HDR images (sRGB-encoded or μ-law values in [0,1]) and their conversion to 8-bit
/// RGB bytes for preview writers. NaN, ±∞ and negative samples render as 0.
/// </summary>
public static class Preview
{
    public static FloatImage Render(FloatImage hdr, PreviewKind kind = PreviewKind.Tonemapped, double exposureStops = 0) =>
        kind switch
        {
            PreviewKind.Tonemapped => (DisplayTonemap.Default with { ExposureStops = exposureStops }).Apply(hdr),
            PreviewKind.Exposure => Exposure(hdr, exposureStops),
            PreviewKind.MuLaw => MuLawCurve(hdr, exposureStops),
            _ => throw new ArgumentException($"unknown preview kind {kind}", nameof(kind)),
        };

    /// <summary>sRGB(clip(2^stops · H)): a straight exposure of the radiance map.</summary>
    public static FloatImage Exposure(FloatImage hdr, double stops = 0) =>
        Map(hdr, stops, Srgb.Encode);

    /// <summary>T(clip(2^stops · H)) with the papers' μ = 5000; no sRGB step, as in their figures.</summary>
    public static FloatImage MuLawCurve(FloatImage hdr, double stops = 0) =>
        Map(hdr, stops, v => MuLaw.Apply(v));

    private static FloatImage Map(FloatImage hdr, double stops, Func<float, float> curve)
    {
        ArgumentNullException.ThrowIfNull(hdr);
        if (!double.IsFinite(stops))
            throw new ArgumentException($"exposure bias must be a finite number of stops, got {stops}", nameof(stops));
        float gain = (float)Math.Pow(2, stops);
        var result = new FloatImage(hdr.Width, hdr.Height, hdr.Channels);
        var src = hdr.Data;
        var dst = result.Data;
        for (int i = 0; i < src.Length; i++)
            dst[i] = curve(Math.Min(DisplayTonemap.Sanitize(src[i]) * gain, 1f));
        return result;
    }

    /// <summary>
    /// Display values in [0,1] → interleaved 8-bit samples (RGB for 3 channels, grey for 1), round(255·v) after
    /// clamping; NaN becomes 0.
    /// </summary>
    public static byte[] ToBytes(FloatImage display)
    {
        ArgumentNullException.ThrowIfNull(display);
        int n = display.PixelCount, channels = display.Channels;
        var bytes = new byte[n * channels];
        var d = display.Data;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < n; i++)
            {
                float v = d[c * n + i];
                bytes[i * channels + c] = float.IsNaN(v) ? (byte)0 : (byte)MathF.Round(Math.Clamp(v, 0f, 1f) * 255f, MidpointRounding.AwayFromZero);
            }
        return bytes;
    }
}
