using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Exposure;

/// <summary>
/// The camera model the deghosting datasets assume: LDR = clip(H·t, 0, 1)^(1/γ), so H = clip(LDR,0,1)^γ / t
/// with γ = 2.2 (Kalantari 2017 and all networks trained on it).
/// </summary>
public static class GammaResponse
{
    public const float Gamma = 2.2f;

    public static float ToLinear(float ldr, double exposureSeconds, float gamma = Gamma) =>
        MathF.Pow(Math.Clamp(ldr, 0f, 1f), gamma) / (float)exposureSeconds;

    public static float ToLdr(float radiance, double exposureSeconds, float gamma = Gamma) =>
        MathF.Pow(Math.Clamp(radiance * (float)exposureSeconds, 0f, 1f), 1f / gamma);

    public static Tensor ToLinear(Tensor ldr, double exposureSeconds, float gamma = Gamma)
    {
        using var t = exposureSeconds.ToScalar();
        return ldr.clamp(Scalars.Of(0), Scalars.Of(1)).pow(Scalars.Of(gamma)).div(t);
    }

    public static Tensor ToLdr(Tensor radiance, double exposureSeconds, float gamma = Gamma)
    {
        using var t = exposureSeconds.ToScalar();
        return radiance.mul(t).clamp(Scalars.Of(0), Scalars.Of(1)).pow(Scalars.Of(1f / gamma));
    }
}
