namespace HdrKit.Data;

/// <summary>The few distributions the simulator draws from, on an explicit <see cref="Random"/>.</summary>
public static class RandomExtensions
{
    public static double Uniform(this Random rng, double lo, double hi) => lo + (hi - lo) * rng.NextDouble();

    /// <summary>Uniform in log space: scale-like quantities (noise gains, object sizes) spread over decades.
    /// A degenerate range (lo = hi, also 0) returns lo but still consumes one draw, so switching a quantity off
    /// does not shift every later draw of the scene.
    /// </summary>
    public static double LogUniform(this Random rng, double lo, double hi)
    {
        double u = rng.NextDouble();
        return lo == hi ? lo : Math.Exp(Math.Log(lo) + u * (Math.Log(hi) - Math.Log(lo)));
    }

    /// <summary>Standard normal by Box–Muller; one value per call keeps the stream position simple to reason about.</summary>
    public static double Gaussian(this Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0,1]: log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static bool Chance(this Random rng, double p) => rng.NextDouble() < p;

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
