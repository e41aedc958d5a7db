using System.Diagnostics;
using System.Text.Json;
using HdrKit.Imaging;
using HdrKit.Metrics;
using HdrKit.Util;
using TorchSharp;
using static HdrKit.Bench.BenchOptions;

namespace HdrKit.Bench;

/// <summary>
/// All four HDR metrics (PSNR-μ, PSNR-L, SSIM-μ, SSIM-L, clip policy) on one 1500×1000 pair: HdrKit's image path,
/// its tensor path and scikit-image (bench/peers/metrics_skimage.py) on the same bytes, in the same run.
/// Options: --width W --height H --repeats N --no-peer.
/// </summary>
public static class MetricsBench
{
    public const string Help = "PSNR-μ/L + SSIM-μ/L on a 1500x1000 pair: image path, tensor path, scikit-image";

    public static int Run(string[] args)
    {
        int width = IntOption(args, "--width", 1500), height = IntOption(args, "--height", 1000);
        int repeats = IntOption(args, "--repeats", 5);
        bool peer = !args.Contains("--no-peer");
        var (pred, gt) = MakePair(width, height);
        Console.WriteLine($"metrics: {width}x{height} RGB, {repeats} repeats, median shown; " +
                          $"{Environment.ProcessorCount} cores, torch threads {torch.get_num_threads()}");

        var rows = new List<(string Name, double Seconds, HdrMetrics Metrics)>();
        rows.Add(Time("HdrKit FloatImage", repeats, () => HdrEvaluation.Evaluate(pred, gt)));
        using (var p = pred.ToTensor().unsqueeze(0))
        using (var g = gt.ToTensor().unsqueeze(0))
            rows.Add(Time("HdrKit tensor (float32)", repeats, () => HdrEvaluation.Evaluate(p, g)[0]));

        if (peer)
        {
            using var dir = new TempFolder();
            File.WriteAllBytes(dir.File("pred.bin"), ToBytes(pred));
            File.WriteAllBytes(dir.File("gt.bin"), ToBytes(gt));
            foreach (var dtype in new[] { "float64", "float32" })
            {
                var result = RunPeer(dir.File("pred.bin"), dir.File("gt.bin"), width, height, repeats, dtype);
                if (result == null) { Console.WriteLine("scikit-image peer unavailable; skipped"); break; }
                rows.Add(result.Value with { Name = $"scikit-image 0.19 ({dtype})" });
            }
        }

        double baseline = rows[0].Seconds;
        Console.WriteLine();
        Console.WriteLine("| implementation | median s | × HdrKit FloatImage | PSNR-μ | PSNR-L | SSIM-μ | SSIM-L |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, s, m) in rows)
            Console.WriteLine($"| {name} | {s:F3} | {s / baseline:F2} | {m.PsnrMu:F6} | {m.PsnrL:F6} | {m.SsimMu:F8} | {m.SsimL:F8} |");
        return 0;
    }

    /// <summary>
    /// Deterministic pair with the statistics of a deghosting result: smooth radiance over ~10 stops with texture,
    /// a prediction with mild multiplicative error and noise, both within [0,1] like Kalantari's data.
    /// </summary>
    private static (FloatImage Pred, FloatImage Gt) MakePair(int width, int height)
    {
        var rng = new Random(1234);
        var gt = new FloatImage(width, height, 3);
        var pred = new FloatImage(width, height, 3);
        float[] tint = { 1.0f, 0.85f, 0.7f };
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double radiance = Math.Pow(2, -10 + 10.0 * x / width) * (0.6 + 0.4 * Math.Sin(y * 0.05) * Math.Cos(x * 0.03));
                for (int c = 0; c < 3; c++)
                {
                    float g = (float)Math.Clamp(radiance * tint[c] * (0.9 + 0.2 * rng.NextDouble()), 0, 1);
                    gt[c, y, x] = g;
                    pred[c, y, x] = (float)Math.Clamp(g * (1 + 0.02 * Math.Sin(x * 0.01 + c)) + 0.002 * (rng.NextDouble() - 0.5), 0, 1);
                }
            }
        return (pred, gt);
    }

    private static (string Name, double Seconds, HdrMetrics Metrics) Time(string name, int repeats, Func<HdrMetrics> run)
    {
        var metrics = run(); // warm-up: JIT, thread pool, libtorch kernels
        var seconds = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            metrics = run();
            seconds.Add(sw.Elapsed.TotalSeconds);
        }
        return (name, BenchOptions.Median(seconds), metrics);
    }

    private static (string Name, double Seconds, HdrMetrics Metrics)? RunPeer(string pred, string gt, int width, int height, int repeats, string dtype)
    {
        var script = Path.Combine(RepoPaths.Root ?? ".", "bench", "peers", "metrics_skimage.py");
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script)) return null;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, pred, gt, width.ToString(), height.ToString(), (repeats + 1).ToString(), dtype })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) { Console.WriteLine($"peer failed: {error.Trim()}"); return null; }
        using var doc = JsonDocument.Parse(output);
        // The first repeat is the peer's warm-up, as for ours.
        var seconds = doc.RootElement.GetProperty("seconds").EnumerateArray().Skip(1).Select(e => e.GetDouble()).ToList();
        var m = doc.RootElement.GetProperty("metrics");
        return ("", BenchOptions.Median(seconds), new HdrMetrics(m.GetProperty("psnr_mu").GetDouble(), m.GetProperty("psnr_l").GetDouble(),
            m.GetProperty("ssim_mu").GetDouble(), m.GetProperty("ssim_l").GetDouble()));
    }

    private static byte[] ToBytes(FloatImage image)
    {
        var hwc = image.ToInterleaved();
        var bytes = new byte[hwc.Length * 4];
        Buffer.BlockCopy(hwc, 0, bytes, 0, bytes.Length); // little-endian on every platform .NET runs this on
        return bytes;
    }
}
