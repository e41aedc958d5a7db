using System.Diagnostics;
using System.Globalization;
using HdrKit.Imaging;
using HdrKit.Util;

namespace HdrKit.Bench;

/// <summary>
/// Suite "merge": `hdrkit merge` end to end, as a user runs it (one process: start-up, decode, merge, EXR write),
/// with the default model and with `--method classical`, against OpenCV's HDR module doing the same job in one
/// Python process (bench/peers/opencv_pipeline.py: read, AlignMTB, MergeDebevec, write EXR). The bracket is pingpong
/// resized to <c>--size</c> (default 1500x1000) with its EXIF kept; the three commands take turns in every round.
/// <c>--widths 32,40</c> adds a row per SAFNet-S encoder width: a model folder with random weights at that width and the
/// default's <c>extra</c> (time does not depend on the weights), to see which candidate for a wider default fits the budget.
/// </summary>
public static class MergeBench
{
    public const string Help = "hdrkit merge end to end (default model, classical) vs OpenCV AlignMTB + MergeDebevec [--size WxH] [--runs N] [--widths 32,40]";

    public static int Run(string[] args)
    {
        int runs = BenchOptions.IntOption(args, "--runs", 5);
        var (width, height) = SizeOption(args);
        var pingpong = TeamDataFolder.Path("data", "brackets", "pingpong");
        if (pingpong == null) { Console.Error.WriteLine("../shared/data/brackets/pingpong is not available"); return 1; }
        // The command users run: the checkout's ./hdrkit, which runs a ReadyToRun-published build (published by the
        // uncounted round 0 if the sources changed).
        var hdrkit = Path.Combine(RepoPaths.Root ?? ".", "hdrkit");
        if (!File.Exists(hdrkit)) { Console.Error.WriteLine($"{hdrkit} is missing: run the suite from a source checkout"); return 1; }
        var peer = Path.Combine(RepoPaths.Root ?? ".", "bench", "peers", "opencv_pipeline.py");

        using var tmp = new TempFolder();
        var frames = new[] { "Img1.JPG", "Img2.JPG", "Img3.JPG" }.Select(name =>
        {
            var output = tmp.File(name);
            using var image = NetVips.Image.NewFromFile(Path.Combine(pingpong, name));
            using var resized = image.Resize((double)width / image.Width, vscale: (double)height / image.Height);
            resized.Jpegsave(output, q: 92); // libvips keeps the EXIF block, so hdrkit reads the shutter times
            return output;
        }).ToArray();
        var seconds = frames.Select(f => ExifExposure.Read(f)?.ExposureSeconds
            ?? throw new InvalidOperationException($"{f} lost its EXIF exposure time")).ToArray();
        string secondsArg = string.Join(",", seconds.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));

        var commands = new List<(string Name, string File, string[] Args)>
        {
            ("hdrkit merge (default model)", hdrkit, ["merge", .. frames, "-o", tmp.File("default.exr")]),
            ("hdrkit merge --method classical", hdrkit, ["merge", .. frames, "--method", "classical", "-o", tmp.File("classical.exr")]),
        };
        var widths = BenchOptions.StringOption(args, "--widths", "");
        if (widths.Length > 0)
            foreach (var w in widths.Split(',').Select(int.Parse))
                commands.Add(($"hdrkit merge, SAFNet-S width {w} (random weights)", hdrkit,
                    ["merge", .. frames, "--model", RandomWidthModel(tmp, w), "-o", tmp.File($"w{w}.exr")]));
        // The peer last: the ratios are taken against the last row.
        commands.Add(($"OpenCV {OpenCvVersion()} AlignMTB + MergeDebevec", "/usr/bin/python3", [peer, tmp.File("opencv.exr"), secondsArg, .. frames]));
        var times = commands.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round <= runs; round++)          // round 0 warms the file cache and is not counted
            for (int i = 0; i < commands.Count; i++)
            {
                double t = Wall(commands[i].File, commands[i].Args);
                if (round > 0) times[i].Add(t);
            }

        Console.WriteLine($"bracket: pingpong resized to {width}×{height}, exposure times {secondsArg} s; {runs} rounds; load {Load()}");
        Console.WriteLine("| command | median wall (s) | min (s) | ratio to OpenCV (median) |");
        Console.WriteLine("|---|---|---|---|");
        double peerMedian = BenchOptions.Median(times[^1]);
        for (int i = 0; i < commands.Count; i++)
            Console.WriteLine($"| {commands[i].Name} | {BenchOptions.Median(times[i]):F2} | {times[i].Min():F2} | {BenchOptions.Median(times[i]) / peerMedian:F2}× |");
        return 0;
    }

    /// <summary>A model folder like models/default, at another encoder width, with random weights.</summary>
    private static string RandomWidthModel(TempFolder tmp, int width)
    {
        var folder = tmp.File($"width-{width}");
        Directory.CreateDirectory(folder);
        var shipped = Inference.ShippedModelInfo.Read(Path.Combine(RepoPaths.Root ?? ".", "models", "default", "model.json"));
        using (var network = Models.ModelRegistry.Create(shipped.Model, new Models.ModelOptions { Width = width }))
            Weights.SafeTensors.Save(Path.Combine(folder, "w.safetensors"), network.state_dict());
        (shipped with { Width = width, Weights = "w.safetensors" }).Write(Path.Combine(folder, "model.json"));
        return folder;
    }

    private static double Wall(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double seconds = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(args[0])} failed: {stderr.Result.Trim()}");
        return seconds;
    }

    private static (int Width, int Height) SizeOption(string[] args)
    {
        int i = Array.IndexOf(args, "--size");
        if (i < 0) return (1500, 1000);
        var (w, h) = BenchOptions.ParseSize(i + 1 < args.Length ? args[i + 1] : "");
        if (w < 64 || h < 64) throw new ArgumentException("--size needs WxH, each at least 64");
        return (w, h);
    }

    private static string OpenCvVersion()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", "import cv2; print(cv2.__version__)"]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        return p.StandardOutput.ReadToEnd().Trim();
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
}
