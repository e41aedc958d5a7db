using HdrKit.Util;
using System.Diagnostics;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Bench;

/// <summary>
/// `tiles`: how far tiled inference is from a whole-image run of the same network on a real bracket, per tile size
/// and overlap: the fraction of output samples whose relative difference |tiled − whole| / max(|whole|, 1e-3)
/// exceeds 1 % and 5 %, the largest relative and absolute difference, and the time of each run.
///
/// usage: tiles [--model default|REGISTRY-NAME] [--gate on|off] [--bracket DIR] [--size WxH] [--multiple N] [--configs 1024:64,1024:256,512:256]
/// A registry name gets random weights from seed 0. --multiple overrides the defaults' image padding multiple
/// (<see cref="TileOptions.Multiple"/>) for the whole-image and the tiled runs alike. --size resizes the frames (bicubic) before the merge, so a
/// 1920×1080 bracket can stand in for a large one. Threads: HDRKIT_THREADS.
/// </summary>
public static class TileBench
{
    public const string Help = "tiled vs whole-image network output on a real bracket: share of samples off by > 1 % / > 5 % per tile:overlap";

    public static int Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        Devices.ConfigureThreads();
        var modelName = Arg("model", "default");
        torch.manual_seed(0);
        using var network = modelName == "default" ? LoadDefault(Arg("gate", "on") != "off") : ModelRegistry.Create(modelName);
        var folder = Arg("bracket", TeamDataFolder.Path("data", "brackets", "pingpong") ?? throw new ArgumentException("no --bracket and no ../shared pingpong"));
        var bracket = BracketFiles.Load([folder]).Bracket;
        if (Arg("size", "") is { Length: > 0 } size) bracket = Resized(bracket, size);
        var sorted = bracket.SortedByExposure();
        var middle = new Bracket(sorted.Frames, sorted.ExposureSeconds, sorted.Count / 2);
        var input = new NetworkInputCrop(middle, network.InputSpec);
        var defaults = TileOptions.For(network);
        if (Arg("multiple", "") is { Length: > 0 } multiple) defaults = defaults with { Multiple = int.Parse(multiple) };
        Console.WriteLine($"{modelName}{(Arg("gate", "on") == "off" ? " without gate" : "")} ({network.GetName()}), {input.Width}x{input.Height}, threads {torch.get_num_threads()}, default tile {defaults.TileSize}, overlap {defaults.Overlap}, image padded to a multiple of {defaults.MultipleFor(network)}; machine loaded by other jobs: times are indicative only");

        Tensor Merge(TileOptions options, out double seconds, out int tiles)
        {
            int count = 0;
            var sw = Stopwatch.StartNew();
            var y = new TiledInference(network, options).Run(1, input.Count, input.Height, input.Width, input.Crop, p => count = p.Total);
            seconds = sw.Elapsed.TotalSeconds;
            tiles = count;
            return y;
        }

        using var whole = Merge(defaults with { WholeImagePixels = long.MaxValue }, out var wholeSeconds, out _);
        Console.WriteLine($"whole image: {wholeSeconds:F1} s");
        Console.WriteLine("| tile | overlap | tiles | > 1 % | > 5 % | max rel | max abs | s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var config in Arg("configs", $"{defaults.TileSize}:64,{defaults.TileSize}:{defaults.Overlap},512:{defaults.Overlap}").Split(','))
        {
            var parts = config.Split(':');
            // Always tiled: the whole-image threshold of the defaults would otherwise run small brackets as one tile.
            var options = defaults with { TileSize = int.Parse(parts[0]), Overlap = int.Parse(parts[1]), WholeImagePixels = 0 };
            using var tiled = Merge(options, out var seconds, out var tiles);
            var d = Compare(whole, tiled);
            Console.WriteLine($"| {options.TileSize} | {options.Overlap} | {tiles} | {d.Over1:P2} | {d.Over5:P2} | {d.MaxRel:P1} | {d.MaxAbs:G3} | {seconds:F1} |");
        }
        return 0;
    }

    /// <summary>The default model, optionally without its exposure-consistency gate.</summary>
    private static HdrNetwork LoadDefault(bool gate)
    {
        var folder = DefaultModel.Folder ?? throw new ArgumentException("no default model installed");
        var (network, info) = DefaultModel.Load(folder);
        if (gate) return network;
        network.Dispose();
        var extra = new Dictionary<string, string>(info.Extra ?? new());
        extra.Remove("consistency_tolerance");
        return ModelRegistry.CreateWithWeights(info.Model, Path.Combine(folder, info.Weights), new ModelOptions { Width = info.Width, Depths = info.Depths, Extra = extra });
    }

    internal static (double Over1, double Over5, double MaxRel, double MaxAbs) Compare(Tensor whole, Tensor tiled)
    {
        using var scope = torch.NewDisposeScope();
        var abs = (tiled - whole).abs();
        var rel = abs / whole.abs().clamp_min(Scalars.Of(1e-3));
        return ((rel > Scalars.Of(0.01)).to(ScalarType.Float64).mean().item<double>(), (rel > Scalars.Of(0.05)).to(ScalarType.Float64).mean().item<double>(),
            rel.max().item<float>(), abs.max().item<float>());
    }

    private static Bracket Resized(Bracket bracket, string size)
    {
        var (w, h) = BenchOptions.ParseSize(size);
        var frames = bracket.Frames.Select(f =>
        {
            using var scope = torch.NewDisposeScope();
            var t = torch.nn.functional.interpolate(f.ToTensor().unsqueeze(0), [h, w], mode: InterpolationMode.Bicubic, align_corners: false);
            return FloatImage.FromTensor(t.clamp(Scalars.Of(0), Scalars.Of(1)));
        }).ToArray();
        return new Bracket(frames, bracket.ExposureSeconds, bracket.ReferenceIndex);
    }
}
