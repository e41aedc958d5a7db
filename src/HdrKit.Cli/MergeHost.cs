namespace HdrKit.Cli;

/// <summary>Process settings for the commands that run merges, and only those.</summary>
internal static class MergeHost
{
    /// <summary>
    /// A merge allocates and frees the same full-resolution buffers many times, and fresh pages cost a fault each,
    /// so its heap keeps freed memory and never maps blocks on their own. The setting was tuned on merges
    /// (bench/results/merge.md) and is applied only to them: training, evaluation and the rest keep glibc's defaults,
    /// so a long run holding a large scene cache is not also holding a heap that never gives memory back.
    /// </summary>
    public static void KeepFreedMemory() => HdrKit.Util.NativeHeap.KeepFreedMemory(1L << 30);
}
