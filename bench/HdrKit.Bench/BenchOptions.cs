namespace HdrKit.Bench;

/// <summary>The suites' shared command-line and timing helpers.</summary>
public static class BenchOptions
{
    /// <summary>The positive integer after <paramref name="name"/>, or <paramref name="fallback"/> when the option is absent.</summary>
    public static int IntOption(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int v) || v < 1)
            throw new ArgumentException($"{name} needs a positive integer");
        return v;
    }

    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when the option is absent.</summary>
    public static string StringOption(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i < 0 ? fallback : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
    }

    /// <summary>
    /// Median and minimum wall time of <paramref name="runs"/> calls; with <paramref name="warmUp"/> one untimed call
    /// first, so JIT, the thread pool and libtorch's kernel selection are out of the figures.
    /// </summary>
    public static (double Median, double Min) Time(int runs, Action action, bool warmUp = true)
    {
        if (warmUp) action();
        var seconds = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            action();
            seconds[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        return (seconds[runs / 2], seconds[0]);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>A <c>WxH</c> size (both positive), or a one-line error naming what was given.</summary>
    public static (int W, int H) ParseSize(string s)
    {
        var parts = s.Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w > 0 && h > 0
            ? (w, h) : throw new ArgumentException($"size must be WxH, got '{s}'");
    }
}
