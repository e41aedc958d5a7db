using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>
/// Weighted radiance merge (Debevec &amp; Malik 1997): E = Σ_i w(z_i)·f⁻¹(z_i)/t_i / Σ_i w(z_i) per channel with the
/// hat weight of <see cref="ExposureWeight.Hat"/>, optionally multiplied by per-pixel acceptance maps from
/// <see cref="Deghosting"/>. Output is radiance per second of <see cref="Bracket.ExposureSeconds"/>.
///
/// Weights are per channel, unlike OpenCV's MergeDebevec, which averages the hat over R,G,B: a shared weight lets
/// a frame whose red is clipped still vote its clipped red (pink or cyan highlights) and lets a frame whose blue
/// reads 0 vote 0 for blue in saturated colours. Deghosting acceptance is per pixel, so all channels of a pixel
/// still drop the same frames.
///
/// Channels with no weight anywhere (clipped in every frame, or all usable frames rejected) fall back to a bound:
/// if the reference's code is above mid-grey the scene is too bright for every frame and the shortest
/// exposure's value is the best lower bound of the radiance; otherwise it is too dark and the longest
/// exposure's value is the best upper bound.
/// </summary>
public static class DebevecMerge
{
    /// <summary>Below this total weight a channel counts as having no usable exposure (≈ 1 code value of hat).</summary>
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
                for (int c = 0; c < 3; c++)
                {
                    int q = c * plane + p;
                    float sum = 0, sw = 0;
                    for (int i = 0; i < n; i++)
                    {
                        float z = bracket.Frames[i].Data[q];
                        float wt = ExposureWeight.Hat(z);
                        if (acceptance?[i] is { } a) wt *= a[p];
                        if (wt <= 0) continue;
                        float e = response.ToLinear(c, z) * invT[i];
                        sum += wt * (log ? SafeLog(e) : e);
                        sw += wt;
                    }
                    if (sw >= MinWeight)
                    {
                        sum /= sw;
                        outData[q] = log ? MathF.Exp(sum) : sum;
                    }
                    else
                    {
                        int f = reference.Data[q] > 0.5f ? shortest : longest;
                        outData[q] = response.ToLinear(c, bracket.Frames[f].Data[q]) * invT[f];
                    }
                }
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
