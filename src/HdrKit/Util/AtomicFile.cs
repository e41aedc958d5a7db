namespace HdrKit.Util;

/// <summary>
/// Writes a file through a temporary sibling that is renamed over the destination only once complete, so a crash
/// or an exception never leaves a half-written output (and never destroys an existing file).
/// </summary>
public static class AtomicFile
{
    /// <summary>Streams the content into a temporary file in the destination folder, then renames it.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        WriteVia(path, temp =>
        {
            using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(fs);
            fs.Flush(flushToDisk: false);
        });
    }

    /// <summary>
    /// Lets a library that only writes to paths (libvips, LibTiff) produce the file under a temporary name that keeps
    /// the destination's extension, because such libraries choose the format by extension.
    /// </summary>
    public static void WriteVia(string path, Action<string> writeToPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"cannot write {path}: the folder {dir} does not exist");
        if (Directory.Exists(full))
            throw new IOException($"cannot write {path}: it is a folder");
        var temp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            writeToPath(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
