using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Metrics;

/// <summary>
/// A ghosting proxy for real brackets without ground truth: SSIM (Gaussian σ 1.5, <see cref="Ssim"/>) between the
/// standardised log-luminance of the merge and of the reference frame (linearised with γ 2.2) inside a box.
/// Standardising within the box removes the unknown exposure scale, offset and contrast of the log image, so
/// what is left is structure: a second nose pasted in from a misaligned exposure lowers it, a different tone
/// curve does not. Meaningful only where the reference is neither clipped nor black, since there the merge is
/// supposed to differ from it.
/// </summary>
public static class ReferenceStructureProbe
{
    /// <summary>Luminance floor before the log: below an 8-bit γ-2.2 code of about 1/255 the reference holds no structure.</summary>
    public const float LuminanceFloor = 1e-5f;

    /// <summary>
    /// SSIM's data range for the standardised images: ±2σ. It only sets how much flat windows count (C1, C2);
    /// 0 takes the reference's max − min in the box.
    /// </summary>
    public const double DataRange = 4;

    /// <param name="merged">HDR result (any scale; typically relative to the reference exposure).</param>
    /// <param name="referenceFrame">The camera-encoded reference frame in [0,1], full size.</param>
    public static double Score(FloatImage merged, FloatImage referenceFrame, ProbeBox box, float gamma = GammaResponse.Gamma, double dataRange = DataRange)
    {
        if (!merged.SameSize(referenceFrame))
            throw new ArgumentException($"merge is {merged.Width}x{merged.Height} but the reference frame is {referenceFrame.Width}x{referenceFrame.Height}");
        box.Check(merged.Width, merged.Height);
        var a = StandardisedLogLuminance(merged, box, v => v);
        var b = StandardisedLogLuminance(referenceFrame, box, v => MathF.Pow(Math.Clamp(v, 0f, 1f), gamma));
        // SSIM(a/k, b/k) at data range 1 is SSIM(a, b) at data range k: only the constants C1, C2 scale.
        if (dataRange <= 0) dataRange = b.Data.Max() - b.Data.Min();
        if (dataRange != 1) { a.ScaleInPlace((float)(1 / dataRange)); b.ScaleInPlace((float)(1 / dataRange)); }
        return Ssim.Compute(a, b);
    }

    /// <summary>log(max(L, floor)) over the box, shifted and scaled to zero mean and unit standard deviation.</summary>
    internal static FloatImage StandardisedLogLuminance(FloatImage image, ProbeBox box, Func<float, float> toLinear)
    {
        int w = box.Width, h = box.Height, n = image.PixelCount;
        var d = image.Data;
        var log = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (box.Y0 + y) * image.Width + box.X0 + x;
                float l = image.Channels == 1 ? toLinear(d[i])
                    : 0.2126f * toLinear(d[i]) + 0.7152f * toLinear(d[n + i]) + 0.0722f * toLinear(d[2 * n + i]);
                log[y * w + x] = MathF.Log(float.IsFinite(l) ? MathF.Max(l, LuminanceFloor) : LuminanceFloor);
            }
        double mean = log.Average(v => (double)v);
        double var = log.Average(v => (v - mean) * (v - mean));
        float inv = var > 0 ? (float)(1 / Math.Sqrt(var)) : 0f;
        for (int i = 0; i < log.Length; i++) log[i] = (float)(log[i] - mean) * inv;
        return new FloatImage(w, h, 1, log);
    }
}
