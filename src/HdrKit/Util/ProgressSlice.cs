namespace HdrKit.Util;

/// <summary>
/// Maps a sub-task's progress (0…1) onto part of its caller's range. Synchronous, unlike System.Progress&lt;T&gt;,
/// which posts to a captured context and can report out of order.
/// </summary>
public sealed class ProgressSlice(IProgress<double> outer, double from, double to) : IProgress<double>
{
    public void Report(double value) => outer.Report(from + (to - from) * value);

    /// <summary>The slice [<paramref name="from"/>, <paramref name="to"/>] of <paramref name="outer"/>; null when nobody listens.</summary>
    public static IProgress<double>? Of(IProgress<double>? outer, double from, double to) =>
        outer == null ? null : new ProgressSlice(outer, from, to);
}
