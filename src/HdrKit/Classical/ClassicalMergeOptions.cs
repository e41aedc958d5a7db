using HdrKit.Exposure;

namespace HdrKit.Classical;

/// <summary>Settings of <see cref="ClassicalMerger"/>.</summary>
/// <param name="Align">Run MTB alignment first (hand-held brackets).</param>
/// <param name="AlignmentLevels">MTB pyramid levels; shifts up to ±(2^levels − 1) pixels are found.</param>
/// <param name="Deghost">Reject moving content of non-reference frames.</param>
/// <param name="Response">Inverse camera response; null uses the γ 2.2 model the deghosting datasets assume.</param>
/// <param name="CalibrateResponse">Recover the response from the (aligned) bracket with Debevec &amp; Malik instead.</param>
/// <param name="Deghosting">Deghosting thresholds; null uses the defaults.</param>
/// <param name="Averaging">Linear (default) or logarithmic averaging of the radiance estimates.</param>
public sealed record ClassicalMergeOptions(
    bool Align = true,
    int AlignmentLevels = 6,
    bool Deghost = true,
    CameraResponse? Response = null,
    bool CalibrateResponse = false,
    DeghostOptions? Deghosting = null,
    RadianceAveraging Averaging = RadianceAveraging.Linear);
