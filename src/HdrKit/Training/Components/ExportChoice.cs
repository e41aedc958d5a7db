namespace HdrKit.Training.Components;

/// <summary>
/// Which of several validated networks to export: the one with the highest <c>metric</c> (PSNR-μ, the
/// papers' headline number). The default candidate wins ties and anything not finite, so a choice only moves
/// away from it on a strictly better score.
/// </summary>
public static class ExportChoice
{
    public const string Metric = "psnr_mu";

    public static string Better(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> means, string fallback, string metric = Metric)
    {
        if (!means.ContainsKey(fallback)) throw new ArgumentException($"the default candidate '{fallback}' was not validated (got {string.Join(", ", means.Keys)})");
        string best = fallback;
        double score = Score(means[fallback]);
        foreach (var (name, m) in means)
        {
            double s = Score(m);
            if (double.IsFinite(s) && (!double.IsFinite(score) || s > score)) (best, score) = (name, s);
        }
        return best;

        double Score(IReadOnlyDictionary<string, double> m) =>
            m.TryGetValue(metric, out var v) ? v : throw new ArgumentException($"validation means lack '{metric}'");
    }
}
