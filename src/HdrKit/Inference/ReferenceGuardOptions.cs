namespace HdrKit.Inference;

/// <summary>Settings of <see cref="ReferenceGuard"/>.</summary>
/// <param name="Spread">A pixel contradicts the reference when its code is this many robust standard deviations (1.4826·MAD of its radiance bin) from the tone curve.</param>
/// <param name="MinTolerance">…and at least this far in code value (0–1): JPEG noise and quantisation never count.</param>
/// <param name="DilateRadius">Replaced regions grow by this many pixels, so the borders of a ghost go too.</param>
/// <param name="FeatherRadius">Width of the soft transition between network and classical pixels.</param>
public sealed record ReferenceGuardOptions(float Spread = 5f, float MinTolerance = 0.1f, int DilateRadius = 3, int FeatherRadius = 4)
{
    public void Validate()
    {
        if (!(Spread > 0)) throw new ArgumentException($"the guard's spread must be positive, got {Spread}", nameof(Spread));
        if (!(MinTolerance > 0 && MinTolerance < 1)) throw new ArgumentException($"the guard's minimum tolerance must be in (0, 1), got {MinTolerance}", nameof(MinTolerance));
        if (DilateRadius < 0 || FeatherRadius < 0) throw new ArgumentException("the guard's radii must be non-negative");
    }
}
