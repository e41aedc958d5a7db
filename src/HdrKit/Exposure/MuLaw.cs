using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Exposure;

/// <summary>
/// The μ-law compressor every HDR deghosting paper trains and evaluates in: T(H) = log(1 + μH) / log(1 + μ),
/// μ = 5000 (Kalantari 2017). Maps linear [0,1] to [0,1] with a steep response in the shadows.
/// </summary>
public static class MuLaw
{
    public const float Mu = 5000f;
    private static readonly float LogOnePlusMu = MathF.Log(1f + Mu);

    public static float Apply(float h, float mu = Mu) => MathF.Log(1f + mu * h) / MathF.Log(1f + mu);

    public static float Invert(float t, float mu = Mu) => (MathF.Exp(t * MathF.Log(1f + mu)) - 1f) / mu;

    public static Tensor Apply(Tensor h, float mu = Mu) =>
        torch.log1p(h * Scalars.Of(mu)) / Scalars.Of(MathF.Log(1f + mu));

    public static Tensor Invert(Tensor t, float mu = Mu) =>
        torch.expm1(t * Scalars.Of(MathF.Log(1f + mu))) / Scalars.Of(mu);

    public static void ApplyInPlace(Span<float> values, float mu = Mu)
    {
        float inv = 1f / (mu == Mu ? LogOnePlusMu : MathF.Log(1f + mu));
        for (int i = 0; i < values.Length; i++) values[i] = MathF.Log(1f + mu * values[i]) * inv;
    }
}
