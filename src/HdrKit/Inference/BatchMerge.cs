using System.Collections.Concurrent;
using System.Diagnostics;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Inference;

/// <summary>
/// Merges many brackets into one HDR file each (`hdrkit batch`): skips brackets whose output already exists (writes
/// are atomic, so an existing file is complete and an interrupted batch resumes where it stopped), reports a bracket
/// that fails and goes on with the rest, and decodes the next bracket while the current one merges. The network is
/// loaded once per exposure count, not once per bracket.
/// </summary>
public sealed class BatchMerge(BatchOptions options)
{
    // Shares of one bracket's work in the overall progress; decoding and merging dominate.
    private const double ReadShare = 0.3, MergeShare = 0.6, WriteShare = 0.1;

    /// <summary>The output file of a bracket.</summary>
    public string OutputPath(BracketGroup group, string outputFolder) => Path.Combine(outputFolder, group.Name + options.Extension);

    /// <summary>Merges every bracket not yet done; <paramref name="progress"/> goes from 0 to 1 over the brackets to merge.</summary>
    public IReadOnlyList<BatchItemResult> Run(IReadOnlyList<BracketGroup> groups, string outputFolder,
        IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        if (!HdrImageFile.IsSupported("x" + options.Extension))
            throw new ArgumentException($"unsupported output type '{options.Extension}', expected one of {string.Join(", ", HdrImageFile.Extensions)}");
        Directory.CreateDirectory(outputFolder);
        var results = new BatchItemResult?[groups.Count];
        var todo = new List<int>();
        for (int i = 0; i < groups.Count; i++)
        {
            var output = OutputPath(groups[i], outputFolder);
            if (new FileInfo(output) is { Exists: true, Length: > 0 })
                results[i] = new BatchItemResult(groups[i], BatchStatus.Skipped, output, null, null, [], TimeSpan.Zero);
            else todo.Add(i);
        }

        var shares = new double[todo.Count];
        void Report(int slot, double value)
        {
            lock (shares)
            {
                shares[slot] = value;
                progress?.Report(todo.Count == 0 ? 1 : shares.Sum() / todo.Count);
            }
        }

        // One decoder ahead of the merger, bounded so at most Prefetch decoded brackets wait in memory.
        using var decoded = new BlockingCollection<(int Slot, LoadedBracket? Bracket, Exception? Error, TimeSpan Decoding)>(Math.Max(1, options.Prefetch));
        var reader = Task.Run(() =>
        {
            try
            {
                for (int slot = 0; slot < todo.Count && !cancel.IsCancellationRequested; slot++)
                {
                    var clock = Stopwatch.StartNew();
                    int s = slot;
                    try
                    {
                        var loaded = BracketFiles.Load(groups[todo[slot]].Files, options.ExposureSeconds,
                            progress: new Progress(v => Report(s, v * ReadShare)));
                        decoded.Add((slot, loaded, null, clock.Elapsed), cancel);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        decoded.Add((slot, null, e, clock.Elapsed), cancel);
                    }
                }
            }
            catch (OperationCanceledException) { }
            finally { decoded.CompleteAdding(); }
        }, cancel);

        var mergers = new Dictionary<int, BracketMerger>();
        try
        {
            foreach (var (slot, loaded, error, decoding) in decoded.GetConsumingEnumerable(cancel))
            {
                int index = todo[slot];
                var group = groups[index];
                var output = OutputPath(group, outputFolder);
                results[index] = error != null
                    ? Failed(group, output, error, decoding)
                    : MergeOne(mergers, group, loaded!, output, decoding, v => Report(slot, ReadShare + v));
                Report(slot, 1);
                cancel.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            // Only cancellation leaves the loop early, and it also stops the reader, so this wait is short.
            try { reader.Wait(CancellationToken.None); } catch (AggregateException) { }
            foreach (var merger in mergers.Values) merger.Dispose();
        }
        return results.Select(r => r!).ToArray();
    }

    /// <param name="decoding">Time spent decoding; the bracket's time excludes waiting for its turn.</param>
    private BatchItemResult MergeOne(Dictionary<int, BracketMerger> mergers, BracketGroup group, LoadedBracket loaded, string output,
        TimeSpan decoding, Action<double> report)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            int count = loaded.Bracket.Count;
            if (!mergers.TryGetValue(count, out var merger))
                mergers[count] = merger = BracketMerger.Create(options.Merge, count);
            var merged = merger.Merge(loaded.Bracket, new Progress(v => report(v * MergeShare)));
            HdrImageFile.Write(output, merged.Radiance, options.Write);
            report(MergeShare + WriteShare);
            return new BatchItemResult(group, BatchStatus.Merged, output, merged.Method, null, [.. merger.Notes, .. merged.Notes],
                decoding + clock.Elapsed, merged.Bracket.Width, merged.Bracket.Height);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed(group, output, e, decoding + clock.Elapsed);
        }
    }

    private static BatchItemResult Failed(BracketGroup group, string output, Exception e, TimeSpan elapsed) =>
        new(group, BatchStatus.Failed, output, null, e is AggregateException a ? a.InnerExceptions[0].Message : e.Message, [], elapsed);

    /// <summary>Reports synchronously on the calling thread (System.Progress would post to the thread pool and arrive late).</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
