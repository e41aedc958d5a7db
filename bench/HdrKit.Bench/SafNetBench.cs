using HdrKit.Util;
using System.Diagnostics;
using HdrKit.Models;
using HdrKit.Models.SafNet;
using HdrKit.Inference;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Bench;

/// <summary>
/// `safnet`: SAFNet-S forward time on one W×H 3-exposure input, in ms per megapixel (whole image, no tiling, as the
/// authors' benchmark does), to compare with bench/peers/safnet_peer.py in the same run.
/// `safnet --rss WxH`: tiled inference of a large input, reporting the process's peak resident memory (VmHWM).
/// Options: --size 1500x1000, --runs 3, --warmup 1, --tile 512, --overlap 64. Threads: HDRKIT_THREADS.
/// </summary>
public static class SafNetBench
{
    public static int Run(string[] args)
    {
        var opts = ParseOptions(args);
        Devices.ConfigureThreads();
        using var model = (SafNet)ModelRegistry.Create("safnet-s");
        var pth = TeamDataFolder.Path("models", "safnet-s", "SAFNet_S_siggraph17.pth");
        if (pth != null) StateDictLoader.Load(model, PthImporter.Load(pth));
        model.eval();
        Console.WriteLine($"threads {torch.get_num_threads()}, weights {(pth != null ? "released" : "random init")}");

        if (opts.TryGetValue("rss", out var rss)) return MeasureRss(model, BenchOptions.ParseSize(rss), opts);

        var (w, h) = BenchOptions.ParseSize(opts.GetValueOrDefault("size", "1500x1000"));
        int runs = int.Parse(opts.GetValueOrDefault("runs", "3")), warmup = int.Parse(opts.GetValueOrDefault("warmup", "1"));
        using var x = RandomBracket(w, h);
        var times = new List<double>();
        for (int i = 0; i < warmup + runs; i++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var sw = Stopwatch.StartNew();
            model.forward(x);
            sw.Stop();
            if (i >= warmup) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        double mp = w * (double)h / 1e6, median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"hdrkit safnet-s {w}x{h}: median {median:F0} ms ({median / mp:F0} ms/MP), runs [{string.Join(", ", times.Select(t => t.ToString("F0")))}] ms");
        Console.WriteLine($"peak RSS {PeakRssMiB():F0} MiB");
        return 0;
    }

    private static int MeasureRss(SafNet model, (int W, int H) size, Dictionary<string, string> opts)
    {
        using var x = RandomBracket(size.W, size.H);
        // Building the input has its own peak (temporaries); reset the high-water mark so VmHWM measures the run.
        bool reset = ResetPeakRss();
        double before = RssMiB("VmRSS:");
        var options = TileOptions.For(model) with
        {
            TileSize = int.Parse(opts.GetValueOrDefault("tile", "512")),
            Overlap = int.Parse(opts.GetValueOrDefault("overlap", "64")),
        };
        var sw = Stopwatch.StartNew();
        using var y = new TiledInference(model, options).Run(x, p => { if (p.Done % 10 == 0 || p.Done == p.Total) Console.Error.Write($"\r{p.Done}/{p.Total} tiles"); });
        sw.Stop();
        Console.Error.WriteLine();
        long inputMiB = x.numel() * 4 >> 20, outputMiB = y.numel() * 4 >> 20;
        Console.WriteLine($"hdrkit safnet-s tiled {size.W}x{size.H}, tile {options.TileSize}, overlap {options.Overlap}: {sw.Elapsed.TotalSeconds:F1} s; " +
            $"input tensor {inputMiB} MiB, output {outputMiB} MiB; RSS before the run {before:F0} MiB, peak RSS during it {PeakRssMiB():F0} MiB" +
            (reset ? "" : " (peak not reset: includes building the input)"));
        return 0;
    }

    /// <summary>Random LDR exposures at t = 1, 4, 16 laid out [1, 3, 6, H, W] as [LDR^2.2 / t, LDR].</summary>
    private static Tensor RandomBracket(int w, int h)
    {
        using var scope = torch.NewDisposeScope();
        var exposures = new[] { 1.0, 4.0, 16.0 }.Select(t =>
        {
            var ldr = torch.rand([1, 3, h, w]);
            return torch.cat([ldr.pow(Scalars.Of(2.2)) / Scalars.Of(t), ldr], 1);
        }).ToArray();
        return torch.stack(exposures, 1).MoveToOuterDisposeScope();
    }

    /// <summary>VmHWM from /proc/self/status: the most resident memory this process has had (since the last reset).</summary>
    private static double PeakRssMiB() => RssMiB("VmHWM:");

    /// <summary>Writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).</summary>
    private static bool ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static double RssMiB(string field)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field));
        return line == null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var opts = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
            opts[args[i].TrimStart('-')] = args[i + 1];
        return opts;
    }
}
