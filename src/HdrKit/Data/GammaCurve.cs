using System.Globalization;

namespace HdrKit.Data;

/// <summary>encoded = linear^(1/γ). γ = 2.2 is the response every Kalantari-trained network assumes.</summary>
public sealed class GammaCurve : ResponseCurve
{
    public float Gamma { get; }

    public GammaCurve(float gamma)
    {
        if (!(gamma > 0.5f && gamma < 5f)) throw new ArgumentException($"gamma must be in (0.5, 5), got {gamma}");
        Gamma = gamma;
    }

    public override float Apply(float linear) => MathF.Pow(Math.Clamp(linear, 0f, 1f), 1f / Gamma);

    public override float Invert(float encoded) => MathF.Pow(Math.Clamp(encoded, 0f, 1f), Gamma);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"gamma {Gamma:0.###}");
}
