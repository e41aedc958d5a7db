using System.Diagnostics;
using System.Text.Json;
using HdrKit.Models;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Bench;

/// <summary>
/// "zoo": forward time of one registry network under no_grad on a full-size input, against the authors'
/// PyTorch code (bench/peers/torch_zoo.py) in a separate process with the same thread count, so that the
/// ratio comes from one run on the same (shared, noisy) machine. One model per invocation, so VmHWM
/// (peak resident memory) belongs to that model alone.
///
/// usage: zoo --model ahdrnet [--height 1000] [--width 1500] [--threads 2] [--repeats 1] [--peer] [--refs /tmp/zoo-peer]
/// Windowed models round the width/height up to the window multiple (1500 → 1504), on both sides.
/// </summary>
public static class ZooBench
{
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var model = Arg("model", "ahdrnet");
        int threads = int.Parse(Arg("threads", "2")), repeats = int.Parse(Arg("repeats", "1"));
        set_num_threads(threads);
        using var net = ModelRegistry.Create(model);
        net.eval();
        int pad = net.InputSpec.PadMultiple;
        long h = NetworkPadding.RoundUp(int.Parse(Arg("height", "1000")), pad), w = NetworkPadding.RoundUp(int.Parse(Arg("width", "1500")), pad);
        int n = net.InputSpec.Accepts(3) ? 3 : net.InputSpec.ExposureCounts![0];

        manual_seed(0);
        var times = new List<double>();
        using (no_grad())
        using (var x = rand([1, n, 6, h, w]))
        {
            for (int r = 0; r < repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                using var y = net.forward(x);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        double ms = times.Order().ElementAt(times.Count / 2), mp = h * w / 1e6;
        double hwm = VmHwmMb();
        Console.WriteLine($"ours   {model}: params {net.ParameterCount():N0}, {w}×{h}, {threads} threads: {ms:F0} ms = {ms / mp:F0} ms/MP, VmHWM {hwm:F0} MB");

        if (!args.Contains("--peer")) return 0;
        var peer = RunPeer(model, h, w, n, threads, repeats, Arg("refs", "/tmp/zoo-peer"));
        if (peer == null) return 1;
        double peerMs = peer.Value.GetProperty("ms").GetDouble();
        Console.WriteLine($"torch  {model}: params {peer.Value.GetProperty("params").GetInt64():N0}, {peerMs:F0} ms = {peerMs / mp:F0} ms/MP, VmHWM {peer.Value.GetProperty("vmhwm_mb").GetDouble():F0} MB");
        Console.WriteLine($"ratio  ours/torch = {ms / peerMs:F2}");
        return 0;
    }

    private static JsonElement? RunPeer(string model, long h, long w, int n, int threads, int repeats, string refs)
    {
        var script = Path.Combine(RepoPaths.Root ?? ".", "bench", "peers", "torch_zoo.py");
        var psi = new ProcessStartInfo("/usr/bin/python3",
            [script, "--model", model, "--height", h.ToString(), "--width", w.ToString(), "--exposures", n.ToString(),
             "--threads", threads.ToString(), "--repeats", repeats.ToString(), "--refs", refs])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (p.ExitCode != 0 || line == null)
        {
            Console.Error.WriteLine($"peer failed (exit {p.ExitCode}): {stderr.Result.Split('\n').LastOrDefault(l => l.Length > 0)}");
            return null;
        }
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private static double VmHwmMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line == null ? double.NaN : long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
