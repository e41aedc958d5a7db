using HdrKit.Exposure;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// PSNR-μ and PSNR-L of one prediction, the numbers validation logs (20·log10(1/√MSE), values in [0,1]).
/// TODO(metrics branch): switch to HdrKit.Metrics' tensor path once merged, and add SSIM-μ/L.
/// </summary>
public static class ValidationMetrics
{
    public static (double PsnrMu, double PsnrL) Psnr(Tensor prediction, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var p = prediction.clamp(0, 1).to(ScalarType.Float64);
        var t = target.clamp(0, 1).to(ScalarType.Float64);
        double mseL = (p - t).square().mean().item<double>();
        double mseMu = (MuLaw.Apply(p) - MuLaw.Apply(t)).square().mean().item<double>();
        return (ToPsnr(mseMu), ToPsnr(mseL));
    }

    private static double ToPsnr(double mse) => mse <= 0 ? double.PositiveInfinity : -10 * Math.Log10(mse);
}
