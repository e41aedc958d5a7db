using HdrKit.Util;

namespace HdrKit.Bench;

/// <summary>The team's ../shared folder (HDRKIT_SHARED overrides), where the benchmarks find weights and brackets.</summary>
internal static class SharedData
{
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HDRKIT_SHARED");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            if (RepoPaths.Root == null) return null;
            var p = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPaths.Root, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>A path below ../shared, or null when it is missing.</summary>
    public static string? Path(params string[] parts)
    {
        if (Root is not { } root) return null;
        var p = System.IO.Path.Combine([root, .. parts]);
        return File.Exists(p) || Directory.Exists(p) ? p : null;
    }
}
