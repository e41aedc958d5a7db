using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>Exponents of the three quality measures of <see cref="MertensFusion"/> (0 switches a measure off).</summary>
public sealed record MertensWeights(float Contrast = 1f, float Saturation = 1f, float WellExposedness = 0f);

/// <summary>
/// Exposure fusion (Mertens, Kautz &amp; Van Reeth, "Exposure Fusion", Pacific Graphics 2007): per pixel and frame a
/// weight C^wc · S^ws · E^we from contrast (|Laplacian| of the grey image), saturation (deviation of R,G,B from
/// their mean) and well-exposedness (Π_c exp(−(v−0.5)²/(2·0.2²))), normalised over frames and blended with
/// Laplacian pyramids so that seams vanish. No exposure times or response curve are needed; the result is a
/// display-ready LDR image in [0,1], not radiance.
///
/// Conventions follow OpenCV's MergeMertens so results are comparable: default exponents (1, 1, 0), grey =
/// Rec. 601 luma of channels (0,1,2) taken as RGB, 3×3 Laplacian, saturation = √Σ(v−mean)² without the 1/3,
/// 10⁻¹² added to every weight, ⌊log2 min(W,H)⌋ pyramid levels. The result is clipped to [0,1].
/// </summary>
public static class MertensFusion
{
    public static FloatImage Fuse(Bracket bracket, MertensWeights? weights = null) => Fuse(bracket.Frames, weights);

    public static FloatImage Fuse(IReadOnlyList<FloatImage> frames, MertensWeights? weights = null)
    {
        weights ??= new MertensWeights();
        if (frames.Count == 0) throw new ArgumentException("exposure fusion needs at least one frame", nameof(frames));
        var first = frames[0];
        for (int i = 0; i < frames.Count; i++)
        {
            if (!frames[i].SameSize(first))
                throw new ArgumentException($"frame {i + 1} is {frames[i].Width}x{frames[i].Height}, frame 1 is {first.Width}x{first.Height}", nameof(frames));
            if (frames[i].Channels != 3) throw new ArgumentException($"frame {i + 1} has {frames[i].Channels} channels, expected RGB", nameof(frames));
        }
        int w = first.Width, h = first.Height, plane = w * h;
        var quality = frames.Select(f => Quality(f, weights)).ToArray();
        var sum = new float[plane];
        foreach (var q in quality) for (int p = 0; p < plane; p++) sum[p] += q[p];

        int levels = (int)(MathF.Log(Math.Min(w, h)) / MathF.Log(2f));
        var sizes = new (int W, int H)[levels + 1];
        sizes[0] = (w, h);
        for (int l = 1; l <= levels; l++) sizes[l] = ((sizes[l - 1].W + 1) / 2, (sizes[l - 1].H + 1) / 2);

        var blended = new float[3][][];
        for (int c = 0; c < 3; c++)
        {
            blended[c] = new float[levels + 1][];
            for (int l = 0; l <= levels; l++) blended[c][l] = new float[sizes[l].W * sizes[l].H];
        }
        for (int i = 0; i < frames.Count; i++)
        {
            var wgt = quality[i];
            for (int p = 0; p < plane; p++) wgt[p] /= sum[p];
            var weightPyramid = Gaussian(wgt, sizes);
            for (int c = 0; c < 3; c++)
            {
                var lap = Laplacian(frames[i].Plane(c).ToArray(), sizes);
                for (int l = 0; l <= levels; l++)
                {
                    var acc = blended[c][l]; var lv = lap[l]; var wl = weightPyramid[l];
                    for (int p = 0; p < acc.Length; p++) acc[p] += lv[p] * wl[p];
                }
            }
            quality[i] = null!; // release early: 4000×3000 frames are large
        }
        var result = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++)
        {
            var img = Collapse(blended[c], sizes);
            var dst = result.Plane(c);
            for (int p = 0; p < plane; p++) dst[p] = Math.Clamp(img[p], 0f, 1f);
        }
        return result;
    }

    private static float[] Quality(FloatImage f, MertensWeights wts)
    {
        int w = f.Width, h = f.Height, plane = w * h;
        var d = f.Data;
        var grey = new float[plane];
        for (int p = 0; p < plane; p++) grey[p] = 0.299f * d[p] + 0.587f * d[plane + p] + 0.114f * d[2 * plane + p];
        var q = new float[plane];
        Parallel.For(0, h, y =>
        {
            int up = GaussianPyramid.Reflect101(y - 1, h) * w, down = GaussianPyramid.Reflect101(y + 1, h) * w, row = y * w;
            for (int x = 0; x < w; x++)
            {
                int p = row + x;
                int left = GaussianPyramid.Reflect101(x - 1, w), right = GaussianPyramid.Reflect101(x + 1, w);
                float contrast = MathF.Abs(grey[up + x] + grey[down + x] + grey[row + left] + grey[row + right] - 4 * grey[p]);
                float r = d[p], g = d[plane + p], b = d[2 * plane + p];
                float mean = (r + g + b) / 3f;
                float saturation = MathF.Sqrt((r - mean) * (r - mean) + (g - mean) * (g - mean) + (b - mean) * (b - mean));
                float exposed = MathF.Exp(-((r - 0.5f) * (r - 0.5f) + (g - 0.5f) * (g - 0.5f) + (b - 0.5f) * (b - 0.5f)) / 0.08f);
                q[p] = Pow(contrast, wts.Contrast) * Pow(saturation, wts.Saturation) * Pow(exposed, wts.WellExposedness) + 1e-12f;
            }
        });
        return q;
    }

    // 0^0 = 1, so a switched-off measure never zeroes a weight.
    private static float Pow(float x, float e) => e == 0 ? 1f : e == 1 ? x : MathF.Pow(x, e);

    private static float[][] Gaussian(float[] image, (int W, int H)[] sizes)
    {
        var pyr = new float[sizes.Length][];
        pyr[0] = image;
        for (int l = 1; l < sizes.Length; l++) pyr[l] = GaussianPyramid.Down(pyr[l - 1], sizes[l - 1].W, sizes[l - 1].H, out _, out _);
        return pyr;
    }

    private static float[][] Laplacian(float[] image, (int W, int H)[] sizes)
    {
        var pyr = Gaussian(image, sizes);
        for (int l = 0; l < sizes.Length - 1; l++)
        {
            var up = GaussianPyramid.Up(pyr[l + 1], sizes[l + 1].W, sizes[l + 1].H, sizes[l].W, sizes[l].H);
            var lv = pyr[l];
            for (int p = 0; p < lv.Length; p++) lv[p] -= up[p];
        }
        return pyr;
    }

    private static float[] Collapse(float[][] pyr, (int W, int H)[] sizes)
    {
        for (int l = sizes.Length - 1; l > 0; l--)
        {
            var up = GaussianPyramid.Up(pyr[l], sizes[l].W, sizes[l].H, sizes[l - 1].W, sizes[l - 1].H);
            var lv = pyr[l - 1];
            for (int p = 0; p < lv.Length; p++) lv[p] += up[p];
        }
        return pyr[0];
    }
}
