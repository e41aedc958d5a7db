namespace HdrKit.Exposure;

/// <summary>
/// Which frames of a longer bracket a network with a fixed exposure count should merge: the shortest and the
/// longest (the whole dynamic range) and, between them, the frames nearest to evenly spaced stops — e.g. the
/// −2/0/+2 EV frames of a −2…+2 EV five-frame bracket. Networks are trained on exposures 2–3 stops apart
/// (Kalantari's 0/2/4 and 0/3/6), so a selection with wider gaps is refused rather than merged out of
/// distribution.
/// </summary>
public static class FrameSelection
{
    /// <summary>Widest gap between consecutive chosen frames, in stops, that the deghosting datasets cover.</summary>
    public const double MaxGapStops = 3.0;

    /// <summary>Indices (short → long) of <paramref name="count"/> frames, or null when no such choice keeps gaps within <paramref name="maxGapStops"/>.</summary>
    public static int[]? Choose(Bracket bracket, int count, double maxGapStops = MaxGapStops)
    {
        if (count < 2 || bracket.Count < count) return null;
        var stops = bracket.ExposureSeconds.Select(Math.Log2).ToArray();
        var order = Enumerable.Range(0, bracket.Count).OrderBy(i => stops[i]).ToArray();
        double lo = stops[order[0]], hi = stops[order[^1]];
        var chosen = new List<int> { order[0] };
        for (int k = 1; k < count - 1; k++)
        {
            double target = lo + k * (hi - lo) / (count - 1);
            chosen.Add(order.Where(i => !chosen.Contains(i) && i != order[^1]).MinBy(i => Math.Abs(stops[i] - target)));
        }
        chosen.Add(order[^1]);
        var result = chosen.OrderBy(i => stops[i]).ToArray();
        for (int k = 1; k < result.Length; k++)
            if (stops[result[k]] - stops[result[k - 1]] > maxGapStops + 1e-6) return null;
        return result;
    }

    /// <summary>The chosen frames as a bracket whose reference is the middle one (the networks' reference).</summary>
    public static Bracket Subset(Bracket bracket, IReadOnlyList<int> indices) => bracket.Subset(indices, indices.Count / 2);
}
