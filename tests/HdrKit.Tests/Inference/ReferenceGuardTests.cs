using HdrKit.Imaging;
using HdrKit.Inference;

namespace HdrKit.Tests.Inference;

public class ReferenceGuardTests
{
    private const int W = 96, H = 64;

    /// <summary>A smooth scene: radiance ramps over about 5 stops, the reference sees it through a tone curve that is not γ 2.2.</summary>
    private static (FloatImage Radiance, FloatImage Reference) Scene(Func<float, float> toneCurve)
    {
        var radiance = new FloatImage(W, H, 3);
        var reference = new FloatImage(W, H, 3);
        var rng = new Random(3);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                {
                    int p = c * W * H + y * W + x;
                    float e = 0.02f * MathF.Pow(2, 5f * x / (W - 1)) * (0.8f + 0.1f * c) * (1 + 0.2f * MathF.Sin(y * 0.3f));
                    radiance.Data[p] = e;
                    reference.Data[p] = Math.Clamp(toneCurve(e) + (float)(rng.NextDouble() - 0.5) * 0.02f, 0f, 1f);
                }
        return (radiance, reference);
    }

    // An sRGB-like JPEG curve, steeper than γ 2.2 in the shadows.
    private static float Jpeg(float e) => e <= 0.0031308f ? 12.92f * e : 1.055f * MathF.Pow(MathF.Min(e, 1f), 1 / 2.4f) - 0.055f;

    [Fact]
    public void A_merge_that_follows_the_reference_through_any_tone_curve_is_left_alone()
    {
        var (radiance, reference) = Scene(Jpeg);
        var mask = new ReferenceGuard().Detect(radiance, reference);
        Assert.Equal(0.0, ReferenceGuard.Coverage(mask));
    }

    [Fact]
    public void Bright_background_pasted_into_a_dark_subject_is_found_and_only_there()
    {
        var (radiance, reference) = Scene(Jpeg);
        // The "face": a dark region of the reference where the merge shows a window 20x brighter.
        for (int c = 0; c < 3; c++)
            for (int y = 20; y < 40; y++)
                for (int x = 10; x < 30; x++)
                    radiance.Data[c * W * H + y * W + x] *= 20;
        var mask = new ReferenceGuard().Detect(radiance, reference);
        Assert.True(mask.Data[30 * W + 20] > 0.99f, "the pasted region must be replaced");
        Assert.True(mask.Data[30 * W + 80] < 0.01f, "far from it nothing changes");
        // Replaced: the 20x20 patch grown by the dilation (3 + 2·4 px) and feathered (4 px) — nothing beyond that.
        int reach = 3 + 2 * 4 + 2 * 4;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                if (x < 10 - reach || x >= 30 + reach || y < 20 - reach || y >= 40 + reach)
                    Assert.True(mask.Data[y * W + x] < 1e-4f, $"pixel ({x},{y}) outside the patch's reach is {mask.Data[y * W + x]}");
    }

    [Fact]
    public void Blend_follows_the_mask()
    {
        var a = new FloatImage(2, 1, 3);
        var b = new FloatImage(2, 1, 3);
        Array.Fill(a.Data, 1f);
        Array.Fill(b.Data, 3f);
        var mask = new FloatImage(2, 1, 1);
        mask.Data[1] = 0.5f;
        var r = ReferenceGuard.Blend(a, b, mask);
        Assert.Equal(new[] { 1f, 2f, 1f, 2f, 1f, 2f }, r.Data);
    }
}
