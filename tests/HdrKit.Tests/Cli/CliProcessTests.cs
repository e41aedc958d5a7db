using System.Diagnostics;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Cli;

/// <summary>
/// What only a real `hdrkit` process shows. Its output reaches a pipe in full although a successful command ends the
/// process with _exit (<c>QuickExit</c>), and a failing one still reports. A classical merge never loads libtorch
/// (the CLI defers the convolution self-check to the first network,
/// <see cref="HdrKit.Util.ConvolutionSelfCheck.DeferSwitch"/>), and a merge with the default model still runs the
/// check before its network. The dynamic loader's own log (glibc's LD_DEBUG) says which
/// libraries were loaded.
/// </summary>
public class CliProcessTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "HdrKit.Cli.dll");

    private static string[] WriteBracket(TestData.TempDir dir)
    {
        var seconds = new[] { 1 / 64.0, 1 / 16.0, 1 / 4.0 };
        return seconds.Select((t, i) =>
        {
            var frame = new FloatImage(64, 64, 3);
            for (int k = 0; k < frame.Data.Length; k++) frame.Data[k] = GammaResponse.ToLdr(0.05f + 2f * (k % 64) / 64, t);
            var path = dir.File($"f{i}.png");
            LdrImageFile.Write(path, frame);
            return path;
        }).ToArray();
    }

    /// <summary>Runs the CLI in <paramref name="dir"/> with glibc's loader log written there; returns its exit code and output.</summary>
    private static (int ExitCode, string Out, string Err) RunCli(TestData.TempDir dir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        start.Environment["LD_DEBUG"] = "libs";
        start.Environment["LD_DEBUG_OUTPUT"] = dir.File("ld");
        foreach (var a in (string[])[Cli, .. args]) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "the CLI did not finish in 120 s");
        return (p.ExitCode, stdout, err.GetAwaiter().GetResult());
    }

    private static (string Err, string LoaderLog, string Out) Merge(TestData.TempDir dir, params string[] options)
    {
        var (code, stdout, err) = RunCli(dir, ["merge", .. WriteBracket(dir), "--ev", "-4,-2,0", "-o", dir.File("out.exr"), "--verbose", .. options]);
        Assert.True(code == 0, err);
        // LD_DEBUG_OUTPUT writes one file per process, named <prefix>.<pid>.
        var log = string.Join("\n", Directory.GetFiles(dir.Path, "ld.*").Select(File.ReadAllText));
        Assert.Contains("libSystem.Native", log); // the log is there at all
        return (err, log, stdout);
    }

    private static void RequireCli() =>
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists(Cli), "needs glibc's loader log (Linux) and the CLI beside the tests");

    [Fact]
    public void AClassicalMergeNeverLoadsLibtorch()
    {
        RequireCli();
        using var dir = new TestData.TempDir();
        var (err, log, _) = Merge(dir, "--method", "classical");
        Assert.DoesNotContain("libtorch_cpu", log);
        Assert.DoesNotContain("libtorch", err.Split('\n').Single(l => l.StartsWith("times:")));
    }

    [Fact]
    public void ANetworkMergeRunsTheConvolutionCheckBeforeItsNetwork()
    {
        RequireCli();
        using var dir = new TestData.TempDir();
        var (err, log, _) = Merge(dir, "--method", "network");
        Assert.Contains("libtorch_cpu", log);
        Assert.Contains("libtorch", err.Split('\n').Single(l => l.StartsWith("times:")));
    }

    [Fact]
    public void ASuccessfulMergeDeliversAllItsOutputBeforeItsQuickExit()
    {
        RequireCli();
        using var dir = new TestData.TempDir();
        var (err, _, stdout) = Merge(dir, "--method", "network", "--preview", dir.File("out.png"));
        Assert.Contains("wrote ", stdout);
        Assert.Contains("times:", err);
        Assert.Equal(64, HdrImageFile.Read(dir.File("out.exr")).Width);
        Assert.Equal(64, LdrImageFile.Read(dir.File("out.png")).Width);
    }

    [Fact]
    public void AFailingCommandStillReportsItsError()
    {
        RequireCli();
        using var dir = new TestData.TempDir();
        var (code, _, err) = RunCli(dir, "merge", dir.File("missing.png"), dir.File("missing2.png"), "-o", dir.File("out.exr"));
        Assert.NotEqual(0, code);
        Assert.Contains("missing.png", err);
        Assert.False(File.Exists(dir.File("out.exr")));
    }
}
