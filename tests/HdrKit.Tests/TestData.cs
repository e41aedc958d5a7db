using HdrKit.Util;

namespace HdrKit.Tests;

/// <summary>Paths to committed fixtures and to ../shared, with a clean skip when shared data is absent.</summary>
public static class TestData
{
    public static string Fixture(params string[] parts) =>
        Path.Combine(new[] { AppContext.BaseDirectory, "Fixtures" }.Concat(parts).ToArray());

    /// <summary>A path below ../shared; skips the calling test when it is not there.</summary>
    public static string SharedOrSkip(params string[] parts)
    {
        var p = RepoPaths.SharedPath(parts);
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
