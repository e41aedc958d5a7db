namespace HdrKit.Bench;

/// <summary>A scratch folder under the system temp directory, deleted with its contents on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hdrkit-bench-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}
