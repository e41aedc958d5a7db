namespace HdrKit.Classical;

/// <summary>
/// Debevec &amp; Malik's hat ("triangle") weight on camera codes in [0,1]: 0 at black and at saturation, 1 at
/// mid-grey. Clipped codes carry no radiance information, so they get no weight at all.
/// </summary>
public static class ExposureWeight
{
    public static float Hat(float code) => Math.Max(0f, 1f - MathF.Abs(2f * code - 1f));

    /// <summary>How usable a whole pixel is: the channel mean (OpenCV MergeDebevec's pixel weight).</summary>
    public static float HatRgb(float r, float g, float b) => (Hat(r) + Hat(g) + Hat(b)) * (1f / 3f);
}
