namespace HdrKit.Util;

/// <summary>
/// Finds the repository root (for bundled models and samples) and the team's ../shared folder
/// (reference weights, parity vectors, real brackets), which users outside the team do not have.
/// </summary>
public static class RepoPaths
{
    /// <summary>The folder holding HdrKit.slnx, searched upward from the running assembly and the working directory.</summary>
    public static string? Root { get; } = FindRoot();

    /// <summary>HDRKIT_SHARED if set, else ../shared next to the repository root; null when absent.</summary>
    public static string? Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HDRKIT_SHARED");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            if (Root == null) return null;
            var p = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>A path below ../shared, or null when shared or the path is missing.</summary>
    public static string? SharedPath(params string[] parts)
    {
        if (Shared == null) return null;
        var p = Path.Combine(new[] { Shared }.Concat(parts).ToArray());
        return File.Exists(p) || Directory.Exists(p) ? p : null;
    }

    private static string? FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "HdrKit.slnx"))) return dir.FullName;
        }
        return null;
    }
}
