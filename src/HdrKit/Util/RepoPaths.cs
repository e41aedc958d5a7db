namespace HdrKit.Util;

/// <summary>Finds the repository root, for bundled models and samples in a source checkout.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding HdrKit.slnx, searched upward from the running assembly and the working directory.</summary>
    public static string? Root { get; } = FindRoot();

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
