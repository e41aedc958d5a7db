using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace HdrKit.Tests.Util;

/// <summary>
/// What only a real process shows about <see cref="HdrKit.Util.AtomicFile"/>: the order of fsync and rename, and
/// that a write stopped by SIGTERM leaves no temporary behind (issue 18). Both watch `hdrkit import-weights` under
/// strace and skip where strace is absent.
/// </summary>
public partial class AtomicFileProcessTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "HdrKit.Cli.dll");

    private static void RequireStrace() =>
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/usr/bin/strace") && File.Exists(Cli), "needs strace (Linux) and the CLI beside the tests");

    private static ProcessStartInfo ImportUnderStrace(string dir, params string[] straceOptions)
    {
        var start = new ProcessStartInfo("/usr/bin/strace") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "-qq", "--seccomp-bpf", "-o", Path.Combine(dir, "strace.log") }.Concat(straceOptions)) start.ArgumentList.Add(a);
        foreach (var a in new[] { "dotnet", Cli, "import-weights", TestData.Fixture("Weights", "tiny.pth"), "-o", Path.Combine(dir, "out.safetensors"), "--key", "state_dict" })
            start.ArgumentList.Add(a);
        return start;
    }

    [Fact]
    public async Task TheTemporaryIsFsyncedBeforeTheRenameAndTheFolderAfterIt()
    {
        RequireStrace();
        using var dir = new TestData.TempDir();
        using (var p = Process.Start(ImportUnderStrace(dir.Path, "-e", "trace=openat,fsync,rename,renameat,renameat2"))!)
        {
            var ct = TestContext.Current.CancellationToken;
            var err = p.StandardError.ReadToEndAsync(ct);
            await p.StandardOutput.ReadToEndAsync(ct);
            Assert.True(p.WaitForExit(120_000), "import-weights did not finish in 120 s");
            Assert.True(p.ExitCode == 0, await err);
        }
        var final = Path.Combine(dir.Path, "out.safetensors");
        var fdPath = new Dictionary<string, string>();
        var fsynced = new List<(int Line, string Path)>();
        int renamed = -1;
        string? temp = null;
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "strace.log"));
        for (int i = 0; i < lines.Length; i++)
        {
            if (OpenAt().Match(lines[i]) is { Success: true } open) fdPath[open.Groups[2].Value] = open.Groups[1].Value;
            else if (Fsync().Match(lines[i]) is { Success: true } sync && fdPath.TryGetValue(sync.Groups[1].Value, out var synced)) fsynced.Add((i, synced));
            else if (Rename().Match(lines[i]) is { Success: true } rename && rename.Groups[2].Value == final) (renamed, temp) = (i, rename.Groups[1].Value);
        }
        Assert.True(renamed >= 0, $"no rename onto {final} in the trace");
        Assert.Contains(fsynced, f => f.Line < renamed && f.Path == temp);
        Assert.Contains(fsynced, f => f.Line > renamed && f.Path.TrimEnd('/') == dir.Path);
    }

    [Fact]
    public async Task AWriteStoppedBySigtermLeavesNoTemporary()
    {
        RequireStrace();
        using var dir = new TestData.TempDir();
        // strace holds the rename back, so the signal arrives while the temporary is complete but not yet renamed.
        using var p = Process.Start(ImportUnderStrace(dir.Path, "-e", "trace=rename", "-e", "inject=rename:delay_enter=20s"))!;
        var ct = TestContext.Current.CancellationToken;
        var err = p.StandardError.ReadToEndAsync(ct);
        var output = p.StandardOutput.ReadToEndAsync(ct);
        string[] Temporaries() => Directory.GetFiles(dir.Path, ".out.*.tmp*");
        var clock = Stopwatch.StartNew();
        while (Temporaries().Length == 0 && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50, ct);
        Assert.True(Temporaries().Length == 1, $"no temporary appeared{(p.HasExited ? ": " + await err : "")}");
        var tracee = File.ReadAllText($"/proc/{p.Id}/task/{p.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Single();
        Assert.Equal(0, SendSignal(tracee, SigTerm)); // Process.Kill would be SIGKILL, which nothing can clean up after
        Assert.True(p.WaitForExit(60_000), "strace did not end after its tracee was stopped");
        await Task.WhenAll(err, output);
        Assert.Empty(Temporaries());
        Assert.False(File.Exists(Path.Combine(dir.Path, "out.safetensors")));
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex("""openat\(AT_FDCWD, "([^"]+)", [^)]*\) = (\d+)""")]
    private static partial Regex OpenAt();

    [GeneratedRegex("""fsync\((\d+)\)\s+= 0""")]
    private static partial Regex Fsync();

    [GeneratedRegex("""rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)", (?:AT_FDCWD, )?"([^"]+)".*= 0""")]
    private static partial Regex Rename();
}
