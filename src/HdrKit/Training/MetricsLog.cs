using System.Text.Json.Nodes;
using HdrKit.Util;

namespace HdrKit.Training;

/// <summary>
/// metrics.jsonl: one JSON object per line, {"kind": "train"|"val", "step", "epoch", …}, appended and flushed
/// as training goes so a crash loses at most one line and other tools can tail it.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    public string Path { get; }

    public MetricsLog(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Append(JsonObject record) => _writer.WriteLine(record.ToJsonString());

    /// <summary>
    /// Drops records past <paramref name="step"/>: a run resumed from an older checkpoint re-logs those steps
    /// and must not leave the abandoned branch's lines interleaved with the new ones.
    /// </summary>
    public static void TruncateAfter(string path, long step)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadLines(path).Where(line =>
        {
            try { return (long?)JsonNode.Parse(line)?["step"] is not long s || s <= step; }
            catch (System.Text.Json.JsonException) { return false; } // a line cut short by a crash
        }).ToList();
        AtomicText.Write(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    public static IEnumerable<JsonObject> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject? o = null;
            try { o = JsonNode.Parse(line) as JsonObject; }
            catch (System.Text.Json.JsonException) { }
            if (o != null) yield return o;
        }
    }

    public void Dispose() => _writer.Dispose();
}
