using System.Runtime.InteropServices;

namespace HdrKit.Cli;

/// <summary>
/// Ends the process without the runtime's and libtorch's teardown. After a merge that teardown walks the whole heap,
/// freeing block by block what the kernel drops at once when the process ends (bench/results/merge.md). Only after
/// a command succeeded: every file it wrote is committed then and no temporary is left for <c>AtomicFile</c>'s exit
/// hook to delete. Linux only; elsewhere the caller returns normally.
/// </summary>
internal static class QuickExit
{
    public static void AfterSuccess(int code)
    {
        if (code != 0 || !OperatingSystem.IsLinux()) return;
        Console.Out.Flush();
        Console.Error.Flush();
        try { Exit(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
