namespace HdrKit.Semantic;

/// <summary>
/// Parameters of Felzenszwalb–Huttenlocher graph segmentation, in the paper's units: colours on a 0..255
/// scale, k the scale of observation (larger k → larger segments), σ the Gaussian pre-smoothing.
/// The minimum area is given as a fraction of the image so that the same setting suits a 256² crop and a
/// 1500×1000 scene; the default equals SMHDR's 1000 px at 1500×1000.
/// </summary>
public sealed record FelzenszwalbOptions
{
    public float Sigma { get; init; } = 0.8f;
    public float K { get; init; } = 500f;
    public double MinAreaFraction { get; init; } = 1000.0 / (1500 * 1000);
    /// <summary>When a class map is given, forbid merges across class boundaries (the small-segment cleanup still may).</summary>
    public bool RespectClassBoundaries { get; init; } = true;

    public int MinArea(int pixels) => Math.Max(1, (int)Math.Round(MinAreaFraction * pixels));

    public void Validate()
    {
        if (!(Sigma >= 0) || Sigma > 50) throw new ArgumentException($"sigma must be in [0, 50], got {Sigma}");
        if (!(K > 0)) throw new ArgumentException($"k must be positive, got {K}");
        if (!(MinAreaFraction >= 0) || MinAreaFraction >= 0.5) throw new ArgumentException($"minimum area fraction must be in [0, 0.5), got {MinAreaFraction}");
    }

    /// <summary>A stable text form for cache keys.</summary>
    public string Key => FormattableString.Invariant($"fh-s{Sigma}-k{K}-m{MinAreaFraction:G6}-c{(RespectClassBoundaries ? 1 : 0)}");
}
