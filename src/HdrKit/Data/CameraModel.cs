using System.Globalization;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// What one simulated camera does to the light reaching it. Scene radiance (already white-balanced, see
/// <see cref="WhiteBalance"/>) times the relative exposure gives the sensor signal s in units of full well;
/// the camera clips s at 1 (a saturated photosite reads exactly white), adds Poisson–Gaussian noise with
/// variance <see cref="ShotNoiseGain"/>·s + <see cref="ReadNoise"/>², clips to [0,1], applies the
/// <see cref="Response"/> and quantises to <see cref="BitDepth"/> bits. Because s grows with exposure time
/// while the read noise does not, short exposures come out relatively noisier, as on a real sensor.
/// </summary>
/// <param name="WhiteBalance">Per-channel gains of the residual white balance (illuminant tint the camera did
/// not remove); part of the scene, so the ground truth carries them too.</param>
/// <param name="Response">Linear [0,1] → encoded [0,1].</param>
/// <param name="ShotNoiseGain">Shot-noise variance per unit signal (1 / full-well electrons at the ISO used).</param>
/// <param name="ReadNoise">Standard deviation of the signal-independent noise, as a fraction of full scale.</param>
/// <param name="BitDepth">8 (JPEG-like) or 16 (Kalantari's TIFFs).</param>
public sealed record CameraModel(float[] WhiteBalance, ResponseCurve Response, float ShotNoiseGain, float ReadNoise, int BitDepth)
{
    /// <summary>The camera Kalantari-trained networks assume: γ 2.2, neutral white balance, 16 bits, little noise.</summary>
    public static CameraModel Ideal(int bitDepth = 16) => new([1f, 1f, 1f], new GammaCurve(2.2f), 0f, 0f, bitDepth);

    public static CameraModel Sample(CameraRanges ranges, Random rng)
    {
        // Tint along the blue–amber (colour temperature) axis plus a smaller green–magenta component.
        double temp = rng.Gaussian() * ranges.WhiteBalanceSpread, tint = rng.Gaussian() * ranges.WhiteBalanceSpread * 0.4;
        var wb = new[] { (float)Math.Exp(temp - tint / 2), (float)Math.Exp(tint), (float)Math.Exp(-temp - tint / 2) };
        float norm = 0.2126f * wb[0] + 0.7152f * wb[1] + 0.0722f * wb[2]; // keep luminance, change colour only
        for (int c = 0; c < 3; c++) wb[c] /= norm;

        ResponseCurve response = rng.Chance(ranges.SmoothResponseProbability)
            ? SmoothResponseCurve.Sample(rng)
            : new GammaCurve((float)rng.Uniform(ranges.GammaMin, ranges.GammaMax));
        float shot = (float)rng.LogUniform(ranges.ShotNoiseGainMin, ranges.ShotNoiseGainMax);
        float read = (float)rng.LogUniform(ranges.ReadNoiseMin, ranges.ReadNoiseMax);
        int bits = rng.Chance(ranges.EightBitProbability) ? 8 : 16;
        return new CameraModel(wb, response, shot, read, bits);
    }

    /// <summary>
    /// One exposure: <paramref name="radiance"/> is the white-balanced scene radiance, <paramref name="exposure"/>
    /// the factor that turns it into sensor signal (full well = 1). Returns encoded LDR values in [0,1].
    /// </summary>
    public FloatImage Capture(FloatImage radiance, double exposure, Random rng)
    {
        if (BitDepth is not (8 or 16)) throw new ArgumentException($"bit depth must be 8 or 16, got {BitDepth}");
        var ldr = new FloatImage(radiance.Width, radiance.Height, radiance.Channels);
        float levels = (1 << BitDepth) - 1;
        float k = (float)exposure;
        var src = radiance.Data; var dst = ldr.Data;
        for (int i = 0; i < src.Length; i++)
        {
            float s = src[i] * k;
            float v;
            if (s >= 1f) v = 1f; // saturated: full well, no noise
            else
            {
                s = MathF.Max(s, 0f);
                float sigma = MathF.Sqrt(ShotNoiseGain * s + ReadNoise * ReadNoise);
                v = sigma > 0f ? Math.Clamp(s + sigma * (float)rng.Gaussian(), 0f, 1f) : s;
            }
            dst[i] = MathF.Round(Response.Apply(v) * levels) / levels;
        }
        return ldr;
    }

    /// <summary>Encoded LDR value back to linear sensor signal through the true response (what an oracle merge would use).</summary>
    public float Linearise(float encoded) => Response.Invert(encoded);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"response {Response.Describe()}; white balance [{WhiteBalance[0]:0.###}, {WhiteBalance[1]:0.###}, {WhiteBalance[2]:0.###}]; " +
        $"shot-noise gain {ShotNoiseGain:0.######}; read noise {ReadNoise:0.######}; {BitDepth} bit");
}
