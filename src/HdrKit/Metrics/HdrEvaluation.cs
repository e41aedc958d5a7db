using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Metrics;

/// <summary>
/// Scores a linear HDR prediction against linear ground truth the way the deghosting papers do: PSNR and SSIM on
/// linear values (-L) and after the μ-law tonemap T(H) = log(1 + 5000H) / log(1 + 5000) (-μ), data range 1, per
/// image. Values are first brought into [0,1] by a <see cref="RangePolicy"/>. NaN in a prediction is not hidden:
/// it makes the metrics NaN, which is what a diverged network should report.
/// </summary>
public static class HdrEvaluation
{
    public static HdrMetrics Evaluate(FloatImage prediction, FloatImage groundTruth, RangePolicy policy = RangePolicy.Clip)
    {
        MetricGuard.SameShape(prediction, groundTruth);
        MetricGuard.SsimSize(prediction.Width, prediction.Height);
        float scale = Scale(groundTruth.Data, policy);
        var linPred = Condition(prediction, scale);
        var linGt = Condition(groundTruth, scale);
        var muPred = ToMuLaw(linPred);
        var muGt = ToMuLaw(linGt);
        return new HdrMetrics(
            PsnrMu: Psnr.Compute(muPred, muGt),
            PsnrL: Psnr.Compute(linPred, linGt),
            SsimMu: Ssim.Compute(muPred, muGt),
            SsimL: Ssim.Compute(linPred, linGt));
    }

    /// <summary>
    /// Per-image metrics of a [B,C,H,W] (or [C,H,W]) batch, for validation inside a training loop. Runs on the
    /// tensors' device without tracking gradients.
    /// </summary>
    public static HdrMetrics[] Evaluate(Tensor prediction, Tensor groundTruth, RangePolicy policy = RangePolicy.Clip)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (p, g) = MetricGuard.Batched(prediction, groundTruth);
        MetricGuard.SsimSize((int)p.shape[3], (int)p.shape[2]);
        p = p.detach();
        g = g.detach();
        if (policy == RangePolicy.NormalizeByGroundTruthMax)
        {
            var max = g.amax(new long[] { 1, 2, 3 }, keepdim: true).clamp_min(Scalars.Of(1.0));
            p = p / max;
            g = g / max;
        }
        p = p.clamp(Scalars.Of(0.0), Scalars.Of(1.0));
        g = g.clamp(Scalars.Of(0.0), Scalars.Of(1.0));
        var muP = MuLaw.Apply(p);
        var muG = MuLaw.Apply(g);
        var psnrMu = Psnr.Compute(muP, muG).cpu().data<double>().ToArray();
        var psnrL = Psnr.Compute(p, g).cpu().data<double>().ToArray();
        var ssimMu = Ssim.Compute(muP, muG).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var ssimL = Ssim.Compute(p, g).to(ScalarType.Float64).cpu().data<double>().ToArray();
        return Enumerable.Range(0, psnrL.Length)
            .Select(i => new HdrMetrics(psnrMu[i], psnrL[i], ssimMu[i], ssimL[i]))
            .ToArray();
    }

    private static float Scale(float[] groundTruth, RangePolicy policy)
    {
        switch (policy)
        {
            case RangePolicy.Clip:
                return 1f;
            case RangePolicy.NormalizeByGroundTruthMax:
                float max = 1f;
                foreach (var v in groundTruth)
                    if (v > max) max = v; // NaN compares false and is skipped
                return max;
            default:
                throw new ArgumentException($"unknown range policy {policy}", nameof(policy));
        }
    }

    private static FloatImage Condition(FloatImage image, float scale)
    {
        var result = image.Clone();
        var d = result.Data;
        for (int i = 0; i < d.Length; i++)
        {
            float v = d[i] / scale;
            // Math.Clamp keeps NaN, so a broken prediction still shows up as NaN metrics.
            d[i] = Math.Clamp(v, 0f, 1f);
        }
        return result;
    }

    /// <summary>μ-law in double precision: log(1 + μh) in float loses digits for the small radiances that dominate.</summary>
    private static FloatImage ToMuLaw(FloatImage linear)
    {
        var result = new FloatImage(linear.Width, linear.Height, linear.Channels);
        double inv = 1.0 / Math.Log(1.0 + MuLaw.Mu);
        var src = linear.Data;
        var dst = result.Data;
        Parallel.For(0, linear.Channels * linear.Height, row =>
        {
            int start = row * linear.Width;
            for (int i = start; i < start + linear.Width; i++)
                dst[i] = (float)(Math.Log(1.0 + MuLaw.Mu * (double)src[i]) * inv);
        });
        return result;
    }
}
