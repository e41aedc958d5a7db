using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;

namespace HdrKit.Tests.Util;

public class AtomicFileTests
{
    private static string[] Leftovers(string folder) => Directory.GetFiles(folder, ".*.tmp*");

    [Fact]
    public void WritesTheContentAndLeavesNoTemporaryBehind()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("out.bin");
        File.WriteAllText(path, "old");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Empty(Leftovers(dir.Path));
        // Other tests write through AtomicFile in parallel: only this folder's temporaries are this test's.
        Assert.DoesNotContain(AtomicFile.PendingTemporaries, t => t.StartsWith(dir.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void AFailedOrCancelledWriteKeepsTheOldFileAndRemovesItsTemporary()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("out.bin");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            cts.Token.ThrowIfCancellationRequested();
        }));
        Assert.Throws<IOException>(() => AtomicFile.WriteVia(path, temp =>
        {
            File.WriteAllText(temp, "partial");
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(Leftovers(dir.Path));
        // Other tests write through AtomicFile in parallel: only this folder's temporaries are this test's.
        Assert.DoesNotContain(AtomicFile.PendingTemporaries, t => t.StartsWith(dir.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void AWriterThatProducesNoFileIsAnErrorNotAMissingOutput()
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteVia(dir.File("x.png"), _ => { }));
        Assert.Contains("produced no file", e.Message);
        Assert.False(File.Exists(dir.File("x.png")));
    }

    [Fact]
    public void EnsureWritableNamesTheProblemAndLeavesNothingBehind()
    {
        using var dir = new TestData.TempDir();
        AtomicFile.EnsureWritable(dir.File("ok.exr"));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.EnsureWritable(dir.File("no/x.exr"))).Message);
        Directory.CreateDirectory(dir.File("sub"));
        Assert.Contains("it is a folder", Assert.Throws<IOException>(() => AtomicFile.EnsureWritable(dir.File("sub"))).Message);
        if (!OperatingSystem.IsWindows() && Environment.UserName != "root") // root writes into read-only folders
        {
            var ro = dir.File("ro");
            Directory.CreateDirectory(ro);
            File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            Assert.Contains("not writable", Assert.Throws<IOException>(() => AtomicFile.EnsureWritable(Path.Combine(ro, "x.exr"))).Message);
            File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void TemporariesAreHiddenSiblingsKeepingTheExtension()
    {
        var temp = AtomicFile.TempNameFor("/data/run/model.safetensors");
        Assert.Equal("/data/run", Path.GetDirectoryName(temp));
        Assert.StartsWith(".model.", Path.GetFileName(temp));
        Assert.EndsWith(".tmp.safetensors", temp);
    }

    [Fact]
    public void SafeTensorsSaveGoesThroughTheTemporaryAndRoundTrips()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("w.safetensors");
        using (var t = torch.arange(Scalars.Of(6), torch.ScalarType.Float32).reshape(2, 3))
            SafeTensors.Save(path, new Dictionary<string, torch.Tensor> { ["w"] = t });
        Assert.Empty(Leftovers(dir.Path));
        Assert.False(File.Exists(path + ".tmp"));
        var back = SafeTensors.Load(path);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, back["w"].data<float>().ToArray());
        back["w"].Dispose();
    }
}
