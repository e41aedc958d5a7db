namespace HdrKit.Metrics;

/// <summary>The four numbers HDR deghosting papers report per scene (PSNR in dB, SSIM unitless).</summary>
public readonly record struct HdrMetrics(double PsnrMu, double PsnrL, double SsimMu, double SsimL)
{
    /// <summary>Mean of each metric over scenes, as the papers average (PSNR in dB, not via mean MSE).</summary>
    public static HdrMetrics Mean(IEnumerable<HdrMetrics> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        double pm = 0, pl = 0, sm = 0, sl = 0;
        int n = 0;
        foreach (var s in scenes)
        {
            pm += s.PsnrMu; pl += s.PsnrL; sm += s.SsimMu; sl += s.SsimL;
            n++;
        }
        if (n == 0) throw new ArgumentException("cannot average the metrics of zero scenes", nameof(scenes));
        return new HdrMetrics(pm / n, pl / n, sm / n, sl / n);
    }

    public override string ToString() =>
        $"PSNR-μ {PsnrMu:F2} dB  PSNR-L {PsnrL:F2} dB  SSIM-μ {SsimMu:F4}  SSIM-L {SsimL:F4}";
}
