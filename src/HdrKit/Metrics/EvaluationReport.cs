using System.Globalization;
using System.Text;
using HdrKit.Util;

namespace HdrKit.Metrics;

/// <summary>
/// Per-scene metric values and their means, written as a Markdown table (for READMEs and PRs) and CSV (for
/// tools). Metric columns keep the order they were declared in; a scene missing a value shows an empty cell
/// and is left out of that metric's mean.
/// </summary>
public sealed class EvaluationReport
{
    private readonly List<(string Scene, IReadOnlyDictionary<string, double> Values)> _rows = new();

    public IReadOnlyList<string> Metrics { get; }
    public string Method { get; }

    public EvaluationReport(string method, IReadOnlyList<string> metrics)
    {
        if (metrics.Count == 0) throw new ArgumentException("an evaluation report needs at least one metric");
        Method = method; Metrics = metrics;
    }

    public IReadOnlyList<(string Scene, IReadOnlyDictionary<string, double> Values)> Rows => _rows;

    public void Add(string scene, IReadOnlyDictionary<string, double> values)
    {
        var unknown = values.Keys.FirstOrDefault(k => !Metrics.Contains(k));
        if (unknown != null) throw new ArgumentException($"metric '{unknown}' is not a column of this report ({string.Join(", ", Metrics)})");
        _rows.Add((scene, values));
    }

    public IReadOnlyDictionary<string, double> Means() => Metrics.ToDictionary(m => m, m =>
    {
        var v = _rows.Where(r => r.Values.ContainsKey(m)).Select(r => r.Values[m]).ToList();
        return v.Count == 0 ? double.NaN : v.Average();
    });

    public string ToMarkdown(int decimals = 4)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| scene | {string.Join(" | ", Metrics)} |");
        sb.AppendLine($"|---|{string.Concat(Metrics.Select(_ => "---:|"))}");
        foreach (var (scene, values) in _rows)
            sb.AppendLine($"| {scene} | {string.Join(" | ", Metrics.Select(m => Format(values, m, decimals)))} |");
        var means = Means();
        sb.AppendLine($"| **mean** ({_rows.Count}) | {string.Join(" | ", Metrics.Select(m => $"**{Format(means, m, decimals)}**"))} |");
        return sb.ToString();
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendLine("method,scene," + string.Join(",", Metrics));
        foreach (var (scene, values) in _rows)
            sb.AppendLine($"{Quote(Method)},{Quote(scene)},{string.Join(",", Metrics.Select(m => Format(values, m, 6)))}");
        sb.AppendLine($"{Quote(Method)},mean,{string.Join(",", Metrics.Select(m => Format(Means(), m, 6)))}");
        return sb.ToString();
    }

    /// <summary>Writes &lt;stem&gt;.md and &lt;stem&gt;.csv into a folder, each atomically.</summary>
    public (string Markdown, string Csv) Save(string folder, string stem = "eval")
    {
        Directory.CreateDirectory(folder);
        var md = Path.Combine(folder, stem + ".md");
        var csv = Path.Combine(folder, stem + ".csv");
        AtomicText.Write(md, $"## {Method}\n\n" + ToMarkdown());
        AtomicText.Write(csv, ToCsv());
        return (md, csv);
    }

    private static string Format(IReadOnlyDictionary<string, double> values, string metric, int decimals) =>
        values.TryGetValue(metric, out var v) && !double.IsNaN(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "";

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
