using HdrKit.Imaging;

namespace HdrKit.Inference;

/// <summary>What a network merge produced.</summary>
/// <param name="Radiance">Relative to the reference exposure (a well-exposed reference pixel reads about LDR^2.2).</param>
/// <param name="GuardMask">Where the reference guard replaced the network's output by the classical merge (one channel, [0,1]); null without a guard.</param>
/// <param name="GuardCoverage">Fraction of pixels the guard at least half replaced.</param>
public sealed record NetworkMergeResult(FloatImage Radiance, FloatImage? GuardMask, double GuardCoverage)
{
    /// <summary>Whether the guard replaced anything (coverage of at least <see cref="NetworkMerger.MinGuardCoverage"/>).</summary>
    public bool GuardReplaced => GuardCoverage >= NetworkMerger.MinGuardCoverage;
}
