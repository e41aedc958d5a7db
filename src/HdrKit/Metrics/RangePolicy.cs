namespace HdrKit.Metrics;

/// <summary>
/// How <see cref="HdrEvaluation"/> brings linear HDR values into the [0,1] range its metrics assume (data range 1,
/// μ-law defined on [0,1]).
/// </summary>
public enum RangePolicy
{
    /// <summary>
    /// Clip prediction and ground truth to [0,1]. A no-op on Kalantari-style data (ground truth ≤ 1, sigmoid
    /// outputs), so it reproduces the published numbers there; above 1 it ignores highlight errors.
    /// </summary>
    Clip,

    /// <summary>
    /// Divide both by the ground truth's maximum when that exceeds 1, then clip to [0,1]: for datasets whose
    /// radiance is not normalised, so highlight errors still count.
    /// </summary>
    NormalizeByGroundTruthMax,
}
