using System.Runtime.InteropServices;

namespace HdrKit.Util;

/// <summary>
/// Gives memory that libtorch freed back to the operating system. glibc keeps freed heap memory for reuse, and over
/// the many same-sized tiles of a large merge its heap kept growing (6000×4000: 3.7 GB after 30 tiles and rising,
/// bench/results/merge.md) although each tile frees what it allocated. Trimming after every tile costs the next tile
/// its page faults, so it is done only once the process is over a budget. A no-op off glibc.
/// </summary>
public static class NativeHeap
{
    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Calls glibc's malloc_trim when the process's resident memory exceeds <paramref name="residentBytes"/>; returns whether it trimmed.</summary>
    public static bool TrimAbove(long residentBytes)
    {
        if (unavailable || Environment.WorkingSet <= residentBytes) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true; // musl and other C libraries have no malloc_trim
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
