using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>
/// What <see cref="Deghosting"/> decided: per frame a W·H acceptance map in [0,1] that scales the frame's merge
/// weight (null for the reference, which is always used), and a one-channel ghost mask: per pixel the largest
/// rejection (1 − acceptance) over the non-reference frames.
/// </summary>
public sealed record GhostDetection(IReadOnlyList<float[]?> Acceptance, FloatImage GhostMask)
{
    /// <summary>Fraction of pixels where some frame was at least half rejected.</summary>
    public double GhostFraction => MaskFilters.Coverage(GhostMask.Data);
}
