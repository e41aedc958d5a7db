using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace HdrKit.Util;

/// <summary>
/// Writes a file through a temporary sibling that is renamed over the destination only once complete, so a crash
/// or an exception never leaves a half-written output (and never destroys an existing file).
/// <para>
/// Before the rename the temporary file is flushed to disk (fsync), and after it the folder is too where the
/// platform allows it: otherwise a power loss shortly after the rename can leave an empty or truncated file under
/// the final name, since the rename may reach the disk before the data. The temporary file is deleted when writing
/// fails or is cancelled, and when the process is stopped by SIGINT/SIGTERM while writing; only a hard kill
/// (SIGKILL, power loss) can leave one behind.
/// </para>
/// </summary>
public static class AtomicFile
{
    private static readonly ConcurrentDictionary<string, byte> Pending = new();
    private static readonly object HookLock = new();
    private static List<PosixSignalRegistration>? _signalHooks;

    /// <summary>Streams the content into a temporary file in the destination folder, then renames it.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        WriteVia(path, temp =>
        {
            using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(fs);
            fs.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// Lets a library that only writes to paths (libvips, LibTiff) produce the file under a temporary name that keeps
    /// the destination's extension, because such libraries choose the format by extension.
    /// </summary>
    public static void WriteVia(string path, Action<string> writeToPath)
    {
        var (full, dir) = Destination(path);
        var temp = TempNameFor(full);
        EnsureSignalCleanup();
        Pending[temp] = 0;
        try
        {
            writeToPath(temp);
            if (!File.Exists(temp))
                throw new IOException($"cannot write {path}: the writer produced no file");
            FlushFileToDisk(temp);
            File.Move(temp, full, overwrite: true);
            FlushFolderToDisk(dir);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            Pending.TryRemove(temp, out _);
        }
    }

    /// <summary>
    /// Fails now, with the message a later write would give, when <paramref name="path"/> cannot be written (missing
    /// or read-only folder, a folder in its place): lets a command check every output before hours of work.
    /// Creates and removes a hidden probe file; the destination itself is not touched.
    /// </summary>
    public static void EnsureWritable(string path)
    {
        var (full, dir) = Destination(path);
        var probe = TempNameFor(full);
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {path}: the folder {dir} is not writable");
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new IOException($"cannot write {path}: {e.Message}");
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>The full path and its folder; refuses a missing folder or a folder in the file's place.</summary>
    private static (string Full, string Dir) Destination(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"cannot write {path}: the folder {dir} does not exist");
        if (Directory.Exists(full))
            throw new IOException($"cannot write {path}: it is a folder");
        return (full, dir);
    }

    /// <summary>The hidden sibling a write goes through; keeps the extension for libraries that choose formats by it.</summary>
    internal static string TempNameFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!,
            $".{Path.GetFileNameWithoutExtension(fullPath)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(fullPath)}");

    /// <summary>Temporary files of writes still in progress (for tests and diagnostics).</summary>
    internal static IReadOnlyCollection<string> PendingTemporaries => Pending.Keys.ToArray();

    private static void FlushFileToDisk(string file)
    {
        // ReadWrite because .NET only fsyncs handles it may write through; the content is not touched.
        using var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>fsync of the folder makes the rename itself durable; Windows has no such call and needs none.</summary>
    private static void FlushFolderToDisk(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            int fd = Posix.open(dir, Posix.O_RDONLY | (OperatingSystem.IsLinux() ? Posix.O_DIRECTORY_LINUX : 0));
            if (fd < 0) return; // some file systems refuse to open folders; the data itself is already on disk
            try { Posix.fsync(fd); }
            finally { Posix.close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to call into: nothing more can be done portably.
        }
    }

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void EnsureSignalCleanup()
    {
        if (_signalHooks != null) return;
        lock (HookLock)
        {
            if (_signalHooks != null) return;
            var hooks = new List<PosixSignalRegistration>();
            // The handlers only delete; they do not cancel the signal, so the process still stops as it would.
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            {
                try { hooks.Add(PosixSignalRegistration.Create(signal, _ => DeletePending())); }
                catch (Exception e) when (e is PlatformNotSupportedException or IOException) { }
            }
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeletePending();
            _signalHooks = hooks;
        }
    }

    private static void DeletePending()
    {
        foreach (var temp in Pending.Keys) TryDelete(temp);
    }

    private static class Posix
    {
        public const int O_RDONLY = 0;
        public const int O_DIRECTORY_LINUX = 0x10000;

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
