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

    /// <summary>
    /// Has glibc keep freed memory of up to <paramref name="keepBytes"/> for reuse and serve every block from its heap.
    /// By default it maps each block over a threshold that adapts to the freed blocks' size (at most 32 MB) and
    /// returns the heap's freed top beyond twice that, so a merge's full-resolution temporaries came back as fresh
    /// pages, every first touch a page fault; blocks over 32 MB (SAFNet's finest decoder maps at 1500×1000 are
    /// 37–39 MB) were mapped fresh on every allocation whatever the threshold. A process-wide setting for hosts that
    /// run merges (the CLI's merge and batch commands call it); <see cref="TrimAbove"/> still bounds a long tiled merge. Returns whether glibc
    /// took all three settings.
    /// </summary>
    public static bool KeepFreedMemory(long keepBytes)
    {
        if (unavailable) return false;
        try
        {
            return MallOpt(TrimThreshold, (int)Math.Min(keepBytes, int.MaxValue)) == 1 && MallOpt(MmapThreshold, 32 << 20) == 1
                && MallOpt(MmapMax, 0) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true;
            return false;
        }
    }

    // glibc's malloc.h parameter numbers.
    private const int TrimThreshold = -1, MmapThreshold = -3, MmapMax = -4;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
