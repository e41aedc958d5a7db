namespace HdrKit.Data;

/// <summary>
/// The distribution <see cref="CameraModel.Sample"/> draws cameras from. Defaults span clean 16-bit raw
/// conversions (Kalantari's data) to noisy 8-bit phone JPEGs (the real brackets in ../shared).
/// </summary>
public sealed record CameraRanges
{
    /// <summary>σ of the log colour-temperature gain; 0 gives neutral white balance.</summary>
    public double WhiteBalanceSpread { get; init; } = 0.08;
    public double GammaMin { get; init; } = 1.9;
    public double GammaMax { get; init; } = 2.5;
    /// <summary>Chance of a non-power-law (toe/shoulder) response instead of a gamma curve.</summary>
    public double SmoothResponseProbability { get; init; } = 0.4;
    /// <summary>1 / full-well electrons: 1/40000 (large sensor, base ISO) … 1/1000 (phone, high ISO).</summary>
    public double ShotNoiseGainMin { get; init; } = 1.0 / 40000;
    public double ShotNoiseGainMax { get; init; } = 1.0 / 1000;
    public double ReadNoiseMin { get; init; } = 2e-4;
    public double ReadNoiseMax { get; init; } = 3e-3;
    public double EightBitProbability { get; init; } = 0.3;

    /// <summary>Kalantari-like capture: γ 2.2 on 16-bit, mild noise; the validation preset uses it.</summary>
    public static CameraRanges Kalantari => new()
    {
        WhiteBalanceSpread = 0.05, GammaMin = 2.2, GammaMax = 2.2, SmoothResponseProbability = 0,
        ShotNoiseGainMin = 1.0 / 40000, ShotNoiseGainMax = 1.0 / 8000, ReadNoiseMin = 2e-4, ReadNoiseMax = 1e-3,
        EightBitProbability = 0,
    };

    /// <summary>
    /// Cameras outside the training distribution, for the shifted validation set: three times the white-balance
    /// spread, wider gammas and mostly toe/shoulder responses, Poisson–Gaussian noise up to three times the
    /// training range's shot noise and read noise, mostly 8-bit.
    /// </summary>
    public static CameraRanges Shifted => new()
    {
        WhiteBalanceSpread = 0.25, GammaMin = 1.6, GammaMax = 2.8, SmoothResponseProbability = 0.6,
        ShotNoiseGainMin = 1.0 / 4000, ShotNoiseGainMax = 1.0 / 300, ReadNoiseMin = 1e-3, ReadNoiseMax = 1e-2,
        EightBitProbability = 0.7,
    };

    /// <summary>A named distribution: random (the default ranges), kalantari (γ 2.2, 16-bit), shifted (outside the training ranges) or ideal (Kalantari's without noise or white-balance spread).</summary>
    public static CameraRanges Named(string name) => name.ToLowerInvariant() switch
    {
        "random" => new CameraRanges(),
        "kalantari" => Kalantari,
        "shifted" => Shifted,
        "ideal" => Kalantari with { WhiteBalanceSpread = 0, ShotNoiseGainMin = 0, ShotNoiseGainMax = 0, ReadNoiseMin = 0, ReadNoiseMax = 0 },
        _ => throw new ArgumentException($"camera must be random, kalantari, shifted or ideal, got '{name}'"),
    };
}
