namespace HdrKit.Util;

/// <summary>
/// The optional folder of large downloadable data (reference weights such as VGG19 or DeepLabV3, HDR maps) that
/// the library falls back to when a caller passes no explicit path. It is whatever the HDRKIT_DATA environment
/// variable names; the library never guesses a location (the CLI and the tests set it for a source checkout).
/// </summary>
public static class DataFolder
{
    public const string EnvironmentVariable = "HDRKIT_DATA";

    /// <summary>The folder named by HDRKIT_DATA, or null when unset or missing.</summary>
    public static string? Current =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } p && Directory.Exists(p) ? p : null;

    /// <summary>A file or folder below <see cref="Current"/>, or null when either is missing.</summary>
    public static string? Find(params string[] parts)
    {
        if (Current is not { } root) return null;
        var p = Path.Combine([root, .. parts]);
        return File.Exists(p) || Directory.Exists(p) ? p : null;
    }
}
