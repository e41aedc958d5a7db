namespace HdrKit.Data;

/// <summary>
/// The silhouette of a foreground object: a star-shaped blob r(θ) = R·(1 + Σ a_k cos(kθ + φ_k)), stretched by an
/// aspect ratio, with an anti-aliased soft edge of <see cref="Softness"/> pixels. Analytic, so it can be evaluated
/// at any sub-pixel position of any frame without resampling a mask.
/// </summary>
public sealed class BlobShape
{
    private readonly double[] _amp, _phase;

    public double Radius { get; }
    public double Aspect { get; }
    public double Softness { get; }

    public BlobShape(double radius, double aspect, double softness, double[] amplitudes, double[] phases)
    {
        if (!(radius > 0)) throw new ArgumentException($"blob radius must be positive, got {radius}");
        if (amplitudes.Length != phases.Length) throw new ArgumentException("blob harmonics need one phase per amplitude");
        if (amplitudes.Sum(Math.Abs) >= 0.9) throw new ArgumentException("blob harmonics are too strong: the radius could reach zero");
        Radius = radius; Aspect = aspect; Softness = Math.Max(softness, 1e-3);
        _amp = amplitudes; _phase = phases;
    }

    public static BlobShape Sample(double radius, double softness, Random rng)
    {
        int k = 4;
        var amp = new double[k]; var phase = new double[k];
        double budget = rng.Uniform(0.15, 0.7);
        for (int i = 0; i < k; i++)
        {
            amp[i] = budget * rng.NextDouble() / (i + 1); // higher harmonics weaker: smooth outline
            phase[i] = rng.Uniform(0, 2 * Math.PI);
        }
        double total = amp.Sum();
        if (total > budget) for (int i = 0; i < k; i++) amp[i] *= budget / total;
        // Tall shapes (people, poles) are as common as wide ones (cars, benches).
        double aspect = Math.Exp(rng.Uniform(-0.8, 0.8));
        return new BlobShape(radius, aspect, softness, amp, phase);
    }

    /// <summary>Half-extent of the bounding box in object coordinates (for culling).</summary>
    public double Extent => Radius * 1.9 * Math.Max(Aspect, 1 / Aspect) + 2 * Softness;

    /// <summary>Coverage in [0,1] at object-local position (x, y).</summary>
    public float Alpha(double x, double y)
    {
        double sx = Math.Sqrt(Aspect), u = x / sx, v = y * sx;
        double rho = Math.Sqrt(u * u + v * v);
        double theta = Math.Atan2(v, u);
        double r = 1;
        for (int i = 0; i < _amp.Length; i++) r += _amp[i] * Math.Cos((i + 2) * theta + _phase[i]);
        double signedDistance = Radius * r - rho; // approximately pixels for moderate aspect
        double t = Math.Clamp(0.5 + signedDistance / (2 * Softness), 0, 1);
        return (float)(t * t * (3 - 2 * t));
    }
}
