namespace HdrKit.Losses;

/// <summary>
/// Bins of the differentiable (Gaussian-kernel) histogram: <paramref name="Bins"/> centres
/// c_i = min + (max − min)/N · (i + 0.5) (the paper's Eq. 6) and kernel exp(−(x − c)² / bandwidth²) (Eq. 7).
/// The paper states σ = 400 in Eq. 7; taken literally on [0,1] (or 0–255) values every kernel is ≈ 1 and the
/// histogram carries no colour, so it is read as the common soft-histogram coefficient exp(−400 (x − c)²),
/// i.e. a bandwidth of 1/√400 = 0.05 on μ-law values. The number of bins is not given; 64 is chosen.
/// </summary>
public sealed record KdeHistogramOptions(int Bins = 64, float Min = 0f, float Max = 1f, float Bandwidth = 0.05f)
{
    public void Validate()
    {
        if (Bins < 1) throw new ArgumentException($"a histogram needs at least one bin, got {Bins}");
        if (!(Max > Min)) throw new ArgumentException($"histogram range [{Min}, {Max}] is empty");
        if (!(Bandwidth > 0) || !float.IsFinite(Bandwidth)) throw new ArgumentException($"bandwidth must be a positive number, got {Bandwidth}");
    }
}
