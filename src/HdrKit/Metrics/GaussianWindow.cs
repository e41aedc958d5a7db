namespace HdrKit.Metrics;

/// <summary>
/// The SSIM window of Wang et al. 2004 as scipy.ndimage builds it for scikit-image: a sampled Gaussian,
/// σ = 1.5, truncated at radius int(3.5σ + 0.5) = 5 (11 taps), normalised to sum 1. Separable, so the 11×11
/// window is the outer product of these taps.
/// </summary>
internal static class GaussianWindow
{
    public const double Sigma = 1.5;
    public const int Radius = 5;
    public const int Size = 2 * Radius + 1;

    public static readonly double[] Taps = MakeTaps();

    private static double[] MakeTaps()
    {
        var w = new double[Size];
        double sum = 0;
        for (int i = 0; i < Size; i++)
        {
            double x = i - Radius;
            w[i] = Math.Exp(-0.5 * x * x / (Sigma * Sigma));
            sum += w[i];
        }
        for (int i = 0; i < Size; i++) w[i] /= sum;
        return w;
    }
}
