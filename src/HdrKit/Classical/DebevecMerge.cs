using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>
/// Weighted radiance merge (Debevec &amp; Malik 1997): E = Σ_i w_i·f⁻¹(z_i)/t_i / Σ_i w_i with the hat weight
/// of <see cref="ExposureWeight.HatRgb"/>, optionally multiplied by per-frame acceptance maps from
/// <see cref="Deghosting"/>. Output is radiance per second of <see cref="Bracket.ExposureSeconds"/>.
///
/// Pixels with no weight anywhere (clipped in every frame, or all usable frames rejected) fall back to a bound:
/// if the reference is brighter than mid-grey there the scene is too bright for every frame and the shortest
/// exposure's value is the best lower bound of the radiance; otherwise it is too dark and the longest
/// exposure's value is the best upper bound.
/// </summary>
public static class DebevecMerge
{
    /// <summary>Below this total weight a pixel counts as having no usable exposure (≈ 1 code value of hat).</summary>
    private const float MinWeight = 1e-3f;

    /// <param name="acceptance">Per frame, null or a W·H map in [0,1] scaling that frame's weight.</param>
    public static FloatImage Merge(Bracket bracket, CameraResponse response, IReadOnlyList<float[]?>? acceptance = null,
        RadianceAveraging averaging = RadianceAveraging.Linear)
    {
        if (response.Channels != 3) throw new ArgumentException($"the camera response has {response.Channels} channels, the frames 3", nameof(response));
        int n = bracket.Count, w = bracket.Width, h = bracket.Height, plane = w * h;
        if (acceptance != null)
        {
            if (acceptance.Count != n) throw new ArgumentException($"{acceptance.Count} acceptance maps for {n} frames", nameof(acceptance));
            for (int i = 0; i < n; i++)
                if (acceptance[i] is { } a && a.Length != plane)
                    throw new ArgumentException($"acceptance map {i + 1} has {a.Length} pixels, the frames {plane}", nameof(acceptance));
        }
        var invT = bracket.ExposureSeconds.Select(t => (float)(1.0 / t)).ToArray();
        int shortest = IndexOfExtreme(bracket.ExposureSeconds, min: true), longest = IndexOfExtreme(bracket.ExposureSeconds, min: false);
        var reference = bracket.Frames[bracket.ReferenceIndex];
        bool log = averaging == RadianceAveraging.Logarithmic;
        var result = new FloatImage(w, h, 3);
        var outData = result.Data;

        Parallel.For(0, h, y =>
        {
            for (int x = 0, p = y * w; x < w; x++, p++)
            {
                float s0 = 0, s1 = 0, s2 = 0, sw = 0;
                for (int i = 0; i < n; i++)
                {
                    var d = bracket.Frames[i].Data;
                    float z0 = d[p], z1 = d[plane + p], z2 = d[2 * plane + p];
                    float wt = ExposureWeight.HatRgb(z0, z1, z2);
                    if (acceptance?[i] is { } a) wt *= a[p];
                    if (wt <= 0) continue;
                    float e0 = response.ToLinear(0, z0) * invT[i], e1 = response.ToLinear(1, z1) * invT[i], e2 = response.ToLinear(2, z2) * invT[i];
                    if (log) { e0 = SafeLog(e0); e1 = SafeLog(e1); e2 = SafeLog(e2); }
                    s0 += wt * e0; s1 += wt * e1; s2 += wt * e2; sw += wt;
                }
                if (sw >= MinWeight)
                {
                    float inv = 1f / sw;
                    s0 *= inv; s1 *= inv; s2 *= inv;
                    if (log) { s0 = MathF.Exp(s0); s1 = MathF.Exp(s1); s2 = MathF.Exp(s2); }
                }
                else
                {
                    var rd = reference.Data;
                    bool bright = rd[p] + rd[plane + p] + rd[2 * plane + p] > 1.5f;
                    int f = bright ? shortest : longest;
                    var d = bracket.Frames[f].Data;
                    s0 = response.ToLinear(0, d[p]) * invT[f];
                    s1 = response.ToLinear(1, d[plane + p]) * invT[f];
                    s2 = response.ToLinear(2, d[2 * plane + p]) * invT[f];
                }
                outData[p] = s0; outData[plane + p] = s1; outData[2 * plane + p] = s2;
            }
        });
        return result;
    }

    // A code of 0 maps to radiance 0, whose log is −∞; the smallest normal float stands in (it still gets weight 0
    // from the hat unless other channels of the pixel are well exposed).
    private static float SafeLog(float e) => MathF.Log(Math.Max(e, 1e-20f));

    internal static int IndexOfExtreme(IReadOnlyList<double> values, bool min)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++)
            if (min ? values[i] < values[best] : values[i] > values[best]) best = i;
        return best;
    }
}
