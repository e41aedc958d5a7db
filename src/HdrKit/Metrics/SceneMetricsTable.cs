namespace HdrKit.Metrics;

/// <summary>
/// Per-scene results of an evaluation run in insertion order, and their mean: the table a test-set report prints.
/// </summary>
public sealed class SceneMetricsTable
{
    private readonly List<(string Scene, HdrMetrics Metrics)> _rows = new();

    public IReadOnlyList<(string Scene, HdrMetrics Metrics)> Rows => _rows;
    public int Count => _rows.Count;

    public void Add(string scene, HdrMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scene);
        if (_rows.Any(r => r.Scene == scene))
            throw new ArgumentException($"scene '{scene}' is already in the table", nameof(scene));
        _rows.Add((scene, metrics));
    }

    public HdrMetrics Mean() =>
        _rows.Count == 0
            ? throw new InvalidOperationException("no scenes have been evaluated yet")
            : HdrMetrics.Mean(_rows.Select(r => r.Metrics));
}
