using HdrKit.Util;

namespace HdrKit.Tests;

/// <summary>Paths to committed fixtures and to ../shared, with a clean skip when shared data is absent.</summary>
public static class TestData
{
    /// <summary>HDRKIT_SHARED if set, else ../shared next to the repository root; null when absent.</summary>
    public static string? Shared => TeamDataFolder.Root;

    /// <summary>A path below ../shared, or null when shared or the path is missing.</summary>
    public static string? SharedPath(params string[] parts) => TeamDataFolder.Path(parts);

    /// <summary>Library defaults that look in <see cref="DataFolder"/> see the team's data, as the CLI arranges.</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void OfferSharedAsDataFolder() => TeamDataFolder.OfferAsDataFolder();

    public static string Fixture(params string[] parts) =>
        Path.Combine(new[] { AppContext.BaseDirectory, "Fixtures" }.Concat(parts).ToArray());

    /// <summary>A path below ../shared; skips the calling test when it is not there.</summary>
    public static string SharedOrSkip(params string[] parts)
    {
        var p = SharedPath(parts);
        if (p == null) Assert.Skip($"../shared/{string.Join('/', parts)} is not available");
        return p!;
    }

    /// <summary>A fresh temporary folder, deleted when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hdrkit-test-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
    }
}
