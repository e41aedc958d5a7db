using System.Diagnostics;
using HdrKit.Imaging;
using HdrKit.Semantic;
using HdrKit.Util;
using TorchSharp;

namespace HdrKit.Bench;

/// <summary>Suite "skb": semantic knowledge bank time for a 1500×1000 reference (pingpong Img2 resized), split by stage.</summary>
public static class SkbBench
{
    public static int Run(string[] args)
    {
        int repeats = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 3;
        Devices.ConfigureThreads();
        var path = RepoPaths.SharedPath("data", "brackets", "pingpong", "Img2.JPG")
            ?? throw new FileNotFoundException("../shared/data/brackets/pingpong/Img2.JPG is needed for the skb suite");
        var full = LdrImageFile.Read(path).Pixels;
        FloatImage reference;
        using (var t = full.ToTensor().unsqueeze(0))
        using (var r = torch.nn.functional.interpolate(t, [1000, 1500], mode: torch.InterpolationMode.Bilinear, antialias: true))
            reference = FloatImage.FromTensor(r);
        using var backend = DeepLabV3Backend.FromShared();
        var skb = new SemanticKnowledgeBank(backend);
        var segmenter = new FelzenszwalbSegmenter(skb.SegmenterOptions);
        skb.Compute(reference).Dispose(); // warm-up
        Console.WriteLine($"threads {torch.get_num_threads()}, reference {reference.Width}x{reference.Height}, working size {backend.WorkingSize}");
        for (int i = 0; i < repeats; i++)
        {
            var total = Stopwatch.StartNew();
            using var priors = skb.Compute(reference);
            total.Stop();
            var net = Stopwatch.StartNew();
            using (var x = reference.ToTensor().unsqueeze(0))
            using (backend.Forward(x)) { }
            net.Stop();
            var fh = Stopwatch.StartNew();
            segmenter.Segment(reference, priors.ClassMap);
            fh.Stop();
            Console.WriteLine($"run {i + 1}: SKB total {total.Elapsed.TotalMilliseconds:F0} ms; DeepLab forward {net.Elapsed.TotalMilliseconds:F0} ms; FH segmentation {fh.Elapsed.TotalMilliseconds:F0} ms; {priors.Segments.Count} segments");
        }
        return 0;
    }
}
