namespace HdrKit.Models;

/// <summary>
/// Where a network's exposure times start: the unit its linear input channels H = LDR^2.2 / t were divided by
/// in training. The two agree on Kalantari's files, whose stops start at 0; they differ for data whose
/// shortest exposure is not at 0 stops.
/// </summary>
public enum ExposureTimeOrigin
{
    /// <summary>t = 2^stops (AHDRNet, HDR-Transformer, SMNet).</summary>
    Absolute,
    /// <summary>t = 2^(stops − shortest stops): the shortest exposure has t = 1 (SAFNet).</summary>
    ShortestIsOne,
}
