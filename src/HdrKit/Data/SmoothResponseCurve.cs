using System.Globalization;

namespace HdrKit.Data;

/// <summary>
/// A smooth monotone response unlike a pure power law, as real in-camera JPEG pipelines are (toe, shoulder,
/// contrast): encoded = B(linear^(1/γ)), where B is a Bernstein polynomial with increasing control values
/// from 0 to 1, hence smooth and strictly increasing. Trains networks not to rely on the exact γ = 2.2 inverse.
/// </summary>
public sealed class SmoothResponseCurve : ResponseCurve
{
    private const int InverseTableSize = 4096;
    private readonly float[] _controls;
    private readonly float[] _inverse; // encoded grid → linear, filled by bisection once

    public float Gamma { get; }
    public IReadOnlyList<float> Controls => _controls;

    /// <param name="gamma">Power applied before the polynomial; sets the overall tone like a gamma curve.</param>
    /// <param name="controls">Bernstein control values c_0 = 0 &lt; c_1 &lt; … &lt; c_d = 1.</param>
    public SmoothResponseCurve(float gamma, IReadOnlyList<float> controls)
    {
        if (!(gamma > 0.5f && gamma < 5f)) throw new ArgumentException($"gamma must be in (0.5, 5), got {gamma}");
        if (controls.Count < 2 || controls[0] != 0f || controls[^1] != 1f)
            throw new ArgumentException("response control values must start at 0 and end at 1");
        for (int i = 1; i < controls.Count; i++)
            if (!(controls[i] > controls[i - 1]))
                throw new ArgumentException("response control values must be strictly increasing");
        Gamma = gamma;
        _controls = controls.ToArray();
        _inverse = BuildInverse();
    }

    /// <summary>A random member of the family: γ in [1.6, 2.8], degree-5 polynomial with jittered increments.</summary>
    public static SmoothResponseCurve Sample(Random rng)
    {
        const int degree = 5;
        var inc = new double[degree];
        for (int i = 0; i < degree; i++) inc[i] = rng.Uniform(0.35, 1.65); // bounded ratio → no flat spans
        double sum = inc.Sum(), acc = 0;
        var controls = new float[degree + 1];
        for (int i = 1; i < degree; i++) { acc += inc[i - 1]; controls[i] = (float)(acc / sum); }
        controls[degree] = 1f;
        return new SmoothResponseCurve((float)rng.Uniform(1.6, 2.8), controls);
    }

    public override float Apply(float linear)
    {
        float u = MathF.Pow(Math.Clamp(linear, 0f, 1f), 1f / Gamma);
        return Bernstein(u);
    }

    public override float Invert(float encoded)
    {
        float e = Math.Clamp(encoded, 0f, 1f) * (InverseTableSize - 1);
        int i = Math.Min((int)e, InverseTableSize - 2);
        float f = e - i;
        float u = _inverse[i] + f * (_inverse[i + 1] - _inverse[i]);
        return MathF.Pow(u, Gamma);
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"smooth gamma {Gamma:0.###} bernstein [{string.Join(", ", _controls.Select(c => c.ToString("0.####", CultureInfo.InvariantCulture)))}]");

    private float Bernstein(float u)
    {
        // de Casteljau: stable and exact at the end points.
        Span<float> b = stackalloc float[_controls.Length];
        _controls.CopyTo(b);
        for (int r = 1; r < b.Length; r++)
            for (int i = 0; i < b.Length - r; i++) b[i] = b[i] + u * (b[i + 1] - b[i]);
        return b[0];
    }

    /// <summary>Inverse of the polynomial part (in u = linear^(1/γ)) on a uniform grid of encoded values.</summary>
    private float[] BuildInverse()
    {
        var inv = new float[InverseTableSize];
        for (int k = 0; k < InverseTableSize; k++)
        {
            float target = k / (float)(InverseTableSize - 1);
            float lo = 0f, hi = 1f;
            for (int it = 0; it < 40; it++)
            {
                float mid = 0.5f * (lo + hi);
                if (Bernstein(mid) < target) lo = mid; else hi = mid;
            }
            inv[k] = 0.5f * (lo + hi);
        }
        return inv;
    }
}
