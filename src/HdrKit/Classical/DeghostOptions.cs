namespace HdrKit.Classical;

/// <summary>Settings of <see cref="Deghosting"/>.</summary>
/// <param name="Threshold">How many noise standard deviations a frame may differ from the prediction before it is rejected.</param>
/// <param name="CodeNoise">Noise of a camera code (sensor noise + 8-bit quantisation + JPEG), in units of full scale.</param>
/// <param name="RelativeTolerance">Allowed relative radiance error from inexact exposure ratios and response curves.</param>
/// <param name="LowCode">Codes below this count as black (no usable radiance).</param>
/// <param name="HighCode">Codes above this count as saturated.</param>
/// <param name="DilateRadius">Rejections grow by this many pixels, so ghost borders (blur, misalignment) go too.</param>
/// <param name="FeatherRadius">Width of the soft transition around rejected regions, avoiding seams.</param>
public sealed record DeghostOptions(
    float Threshold = 4f,
    float CodeNoise = 0.01f,
    float RelativeTolerance = 0.1f,
    float LowCode = 0.05f,
    float HighCode = 0.95f,
    int DilateRadius = 2,
    int FeatherRadius = 3)
{
    public void Validate()
    {
        if (!(Threshold > 0)) throw new ArgumentException($"deghosting threshold must be positive, got {Threshold}", nameof(Threshold));
        if (!(CodeNoise >= 0)) throw new ArgumentException($"code noise must be non-negative, got {CodeNoise}", nameof(CodeNoise));
        if (!(RelativeTolerance >= 0)) throw new ArgumentException($"relative tolerance must be non-negative, got {RelativeTolerance}", nameof(RelativeTolerance));
        if (!(LowCode >= 0 && LowCode < HighCode && HighCode <= 1))
            throw new ArgumentException($"well-exposed band must satisfy 0 ≤ low < high ≤ 1, got [{LowCode}, {HighCode}]", nameof(LowCode));
        if (DilateRadius < 0 || FeatherRadius < 0)
            throw new ArgumentException($"dilate and feather radii must be non-negative, got {DilateRadius} and {FeatherRadius}", nameof(DilateRadius));
    }
}
