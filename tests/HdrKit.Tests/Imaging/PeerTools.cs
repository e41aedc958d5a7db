using System.Diagnostics;

namespace HdrKit.Tests.Imaging;

/// <summary>
/// Runs independent tools (Debian's /usr/bin/python3 with OpenCV, exrheader) on files HdrKit wrote, skipping the
/// calling test when the tool is not installed.
/// </summary>
internal static class PeerTools
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs a Python snippet (argv[1..] = args) after checking that cv2 and numpy import; returns stdout.</summary>
    public static string PythonCv2(string script, params string[] args)
    {
        if (!File.Exists(Python)) Assert.Skip($"{Python} is not installed");
        var probe = Run(Python, ["-c", "import cv2, numpy"], allowFailure: true);
        if (probe.code != 0) Assert.Skip("/usr/bin/python3 has no cv2/numpy (python3-opencv)");
        var r = Run(Python, ["-c", script, .. args]);
        return r.stdout;
    }

    // Importing torch takes seconds on these machines: probe once per test run.
    private static readonly Lazy<bool> HasTorch = new(() => Run(Python, ["-c", "import torch, numpy"], allowFailure: true).code == 0);

    /// <summary>Runs a Python snippet (argv[1..] = args) after checking that torch and numpy import; returns stdout.</summary>
    public static string PythonTorch(string script, params string[] args)
    {
        if (!File.Exists(Python)) Assert.Skip($"{Python} is not installed");
        if (!HasTorch.Value) Assert.Skip("/usr/bin/python3 has no torch/numpy (python3-torch)");
        return Run(Python, ["-c", script, .. args]).stdout;
    }

    /// <summary>Runs a command-line tool found on PATH, skipping when absent.</summary>
    public static (int code, string stdout, string stderr) Tool(string name, params string[] args)
    {
        var exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        if (exe == null) Assert.Skip($"{name} is not installed");
        return Run(exe!, args, allowFailure: true);
    }

    /// <summary>Parses whitespace-separated floats printed by a peer.</summary>
    public static float[] Floats(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static (int code, string stdout, string stderr) Run(string exe, string[] args, bool allowFailure = false)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(); throw new TimeoutException($"{exe} did not finish in 120 s"); }
        var result = (p.ExitCode, stdout.Result, stderr.Result);
        if (!allowFailure && p.ExitCode != 0)
            throw new InvalidOperationException($"{exe} failed with exit code {p.ExitCode}: {stderr.Result}");
        return result;
    }
}
