using System.Diagnostics;
using System.Globalization;

namespace HdrKit.Util;

/// <summary>
/// Wall time per named stage of one job (decode, model load, network forward, encode…), summed over repeats, in
/// the order the stages first ran. `hdrkit merge --verbose` prints it; it exists so a slow merge can be taken
/// apart without a profiler. Thread-safe: stages may be measured from parallel work (their sum can then exceed
/// the wall time).
/// </summary>
public sealed class StageTimes
{
    private readonly object gate = new();
    private readonly List<(string Stage, TimeSpan Elapsed)> stages = [];

    /// <summary>Times the enclosed block as <paramref name="stage"/>: <c>using (times?.Measure("decode")) { … }</c>.</summary>
    public Scope Measure(string stage) => new(this, stage, Stopwatch.GetTimestamp());

    public void Add(string stage, TimeSpan elapsed)
    {
        lock (gate)
        {
            int i = stages.FindIndex(s => s.Stage == stage);
            if (i < 0) stages.Add((stage, elapsed));
            else stages[i] = (stage, stages[i].Elapsed + elapsed);
        }
    }

    public IReadOnlyList<(string Stage, TimeSpan Elapsed)> Stages
    {
        get { lock (gate) return stages.ToArray(); }
    }

    public TimeSpan this[string stage] => Stages.FirstOrDefault(s => s.Stage == stage).Elapsed;

    /// <summary>"decode 0.41 s, forward 1.20 s, …".</summary>
    public override string ToString() =>
        string.Join(", ", Stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Elapsed.TotalSeconds:F2} s")));

    public readonly struct Scope(StageTimes times, string stage, long started) : IDisposable
    {
        public void Dispose() => times.Add(stage, Stopwatch.GetElapsedTime(started));
    }
}
