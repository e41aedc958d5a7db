namespace HdrKit.Data;

/// <summary>
/// Which scenes of a labelled folder keep their ground truth: all, none, a count or a percentage of the scenes,
/// drawn with a fixed seed (the semi-supervised setting: e.g. 5 of Kalantari's 74 scenes). The choice depends only
/// on (scene count, count or percent, seed), so a run and its resume, or two recipes, see the same subset.
/// </summary>
public sealed record LabelledSubset
{
    public static LabelledSubset All { get; } = new();
    public static LabelledSubset None { get; } = new() { Count = 0 };

    /// <summary>Scenes that keep their ground truth; null with <see cref="Percent"/> null means all.</summary>
    public int? Count { get; init; }
    /// <summary>Percentage of the scenes (rounded to the nearest count, at least one when above 0).</summary>
    public double? Percent { get; init; }
    public long Seed { get; init; } = 1;

    public bool IsAll => Count is null && Percent is null;

    public void Validate()
    {
        if (Count is not null && Percent is not null) throw new ArgumentException("give either a labelled count or a percentage, not both");
        if (Count is < 0) throw new ArgumentException($"labelled count must be ≥ 0, got {Count}");
        if (Percent is { } p && !(p >= 0 && p <= 100)) throw new ArgumentException($"labelled percentage must be in [0, 100], got {p}");
    }

    /// <summary>How many of <paramref name="total"/> scenes are labelled.</summary>
    public int CountOf(int total)
    {
        Validate();
        if (Count is { } c) return Math.Min(c, total);
        if (Percent is { } p) return p <= 0 ? 0 : Math.Clamp((int)Math.Round(total * p / 100, MidpointRounding.AwayFromZero), 1, total);
        return total;
    }

    /// <summary>One flag per scene index: true where the scene keeps its ground truth.</summary>
    public bool[] Pick(int total)
    {
        int k = CountOf(total);
        var flags = new bool[total];
        if (k == total) { Array.Fill(flags, true); return flags; }
        var order = Enumerable.Range(0, total).ToArray();
        SeedMixer.Create(Seed, total, 0x4C41424CL).Shuffle(order); // purpose tag keeps this draw apart from the loader's
        foreach (var i in order.Take(k)) flags[i] = true;
        return flags;
    }
}
