namespace HdrKit.Exposure;

/// <summary>
/// An inverse camera response f⁻¹: camera code value in [0,1] → relative linear exposure (radiance × time, up
/// to one global scale), one lookup table per channel. Tables are sampled at evenly spaced code values and read
/// with linear interpolation, so 8-bit frames hit table entries exactly (256-entry tables) while 16-bit or float
/// frames stay smooth (the gamma model uses a finer table).
/// </summary>
public sealed class CameraResponse
{
    private readonly float[][] _inverse;
    private readonly float[][] _slope;

    /// <summary>Number of code values each table samples, evenly spaced over [0,1].</summary>
    public int Levels { get; }
    public int Channels => _inverse.Length;

    /// <summary>Builds from per-channel tables; entry k holds f⁻¹(k / (levels−1)). Tables must be non-decreasing.</summary>
    public CameraResponse(IReadOnlyList<float[]> inverseTables)
    {
        if (inverseTables.Count == 0) throw new ArgumentException("a camera response needs at least one channel table", nameof(inverseTables));
        int levels = inverseTables[0].Length;
        if (levels < 2) throw new ArgumentException($"a response table needs at least 2 levels, got {levels}", nameof(inverseTables));
        _inverse = new float[inverseTables.Count][];
        _slope = new float[inverseTables.Count][];
        for (int c = 0; c < inverseTables.Count; c++)
        {
            var t = inverseTables[c];
            if (t.Length != levels)
                throw new ArgumentException($"channel {c} has {t.Length} levels, channel 0 has {levels}", nameof(inverseTables));
            for (int k = 0; k < levels; k++)
            {
                if (!float.IsFinite(t[k]) || t[k] < 0)
                    throw new ArgumentException($"channel {c} level {k} is {t[k]}; inverse responses must be finite and non-negative", nameof(inverseTables));
                if (k > 0 && t[k] < t[k - 1])
                    throw new ArgumentException($"channel {c} decreases at level {k}; an inverse response must be non-decreasing", nameof(inverseTables));
            }
            _inverse[c] = (float[])t.Clone();
            _slope[c] = Slopes(_inverse[c]);
        }
        Levels = levels;
    }

    /// <summary>The γ model of <see cref="GammaResponse"/> (f⁻¹(v) = v^γ), sampled finely enough for 16-bit input.</summary>
    public static CameraResponse FromGamma(float gamma = GammaResponse.Gamma, int levels = 4096, int channels = 3)
    {
        if (!(gamma > 0)) throw new ArgumentException($"gamma must be positive, got {gamma}", nameof(gamma));
        var table = new float[levels];
        for (int k = 0; k < levels; k++) table[k] = GammaResponse.ToLinear(k / (float)(levels - 1), 1.0, gamma);
        return new CameraResponse(Enumerable.Repeat(table, channels).ToArray());
    }

    /// <summary>A linear sensor (raw data, or frames already linearised).</summary>
    public static CameraResponse Linear(int channels = 3) => FromGamma(1f, 2, channels);

    /// <summary>f⁻¹(v) for channel c, v clamped to [0,1].</summary>
    public float ToLinear(int channel, float code)
    {
        var t = _inverse[channel];
        float x = Math.Clamp(code, 0f, 1f) * (t.Length - 1);
        int i = Math.Min((int)x, t.Length - 2);
        float f = x - i;
        return t[i] + f * (t[i + 1] - t[i]);
    }

    /// <summary>d f⁻¹ / dv at v: how much a code-value error is amplified in the linear domain (noise models).</summary>
    public float Slope(int channel, float code)
    {
        var s = _slope[channel];
        int i = Math.Min((int)(Math.Clamp(code, 0f, 1f) * (s.Length - 1)), s.Length - 2);
        return s[i];
    }

    /// <summary>A copy of channel c's table.</summary>
    public float[] Table(int channel) => (float[])_inverse[channel].Clone();

    /// <summary>The same response sampled at a different number of levels (e.g. 256 for an 8-bit tool).</summary>
    public CameraResponse Resampled(int levels)
    {
        var tables = new float[Channels][];
        for (int c = 0; c < Channels; c++)
        {
            tables[c] = new float[levels];
            for (int k = 0; k < levels; k++) tables[c][k] = ToLinear(c, k / (float)(levels - 1));
        }
        return new CameraResponse(tables);
    }

    /// <summary>Divides every table by one channel's value at a code, so that f⁻¹(code) = 1 there (fixes the free scale).</summary>
    public CameraResponse NormalizedAt(float code, int channel = 1)
    {
        float s = ToLinear(Math.Min(channel, Channels - 1), code);
        if (!(s > 0)) throw new ArgumentException($"the response is zero at code {code}; cannot normalise there", nameof(code));
        return new CameraResponse(_inverse.Select(t => t.Select(v => v / s).ToArray()).ToArray());
    }

    // Slope of segment i (between entries i and i+1) per unit code value.
    private static float[] Slopes(float[] t)
    {
        var s = new float[t.Length - 1 + 1];
        for (int i = 0; i < t.Length - 1; i++) s[i] = (t[i + 1] - t[i]) * (t.Length - 1);
        s[^1] = s[^2];
        return s;
    }
}
