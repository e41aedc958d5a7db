namespace HdrKit.Exposure;

/// <summary>
/// The piecewise sRGB transfer function (IEC 61966-2-1): linear segment 12.92·x below 0.0031308, then
/// 1.055·x^(1/2.4) − 0.055. Not the pure 2.2 power the camera model uses; displays expect this one.
/// </summary>
public static class Srgb
{
    private const double Threshold = 0.0031308;

    /// <summary>Linear [0,1] → display-encoded [0,1] (OETF). Inputs are clamped; NaN becomes 0.</summary>
    public static float Encode(float linear)
    {
        double x = float.IsNaN(linear) ? 0 : Math.Clamp(linear, 0f, 1f);
        return (float)(x <= Threshold ? 12.92 * x : 1.055 * Math.Pow(x, 1 / 2.4) - 0.055);
    }

    /// <summary>Display-encoded [0,1] → linear [0,1] (EOTF), the inverse of <see cref="Encode"/>.</summary>
    public static float Decode(float encoded)
    {
        double v = float.IsNaN(encoded) ? 0 : Math.Clamp(encoded, 0f, 1f);
        return (float)(v <= 12.92 * Threshold ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4));
    }

    public static void EncodeInPlace(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Encode(values[i]);
    }
}
