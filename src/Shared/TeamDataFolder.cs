using HdrKit.Util;

namespace HdrKit;

/// <summary>
/// The team's reference data (weights, real brackets, parity tensors): HDRKIT_SHARED when set, else a `shared`
/// folder beside the source checkout. Compiled into the CLI, the tests and the benchmarks, never into the shipped
/// library, which only reads the folder it is given through <see cref="DataFolder"/> (HDRKIT_DATA).
/// </summary>
internal static class TeamDataFolder
{
    public const string EnvironmentVariable = "HDRKIT_SHARED";

    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            if (RepoPaths.Root == null) return null;
            var p = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPaths.Root, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>A path below the folder, or null when the folder or the path is missing.</summary>
    public static string? Path(params string[] parts)
    {
        if (Root is not { } root) return null;
        var p = System.IO.Path.Combine([root, .. parts]);
        return File.Exists(p) || Directory.Exists(p) ? p : null;
    }

    /// <summary>Offers the folder to the library as its default <see cref="DataFolder"/> unless HDRKIT_DATA is set.</summary>
    public static void OfferAsDataFolder()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DataFolder.EnvironmentVariable)) && Root is { } root)
            Environment.SetEnvironmentVariable(DataFolder.EnvironmentVariable, root);
    }
}
