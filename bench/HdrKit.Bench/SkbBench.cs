using System.Diagnostics;
using HdrKit.Imaging;
using HdrKit.Semantic;
using HdrKit.Util;
using TorchSharp;
using static HdrKit.Bench.BenchOptions;

namespace HdrKit.Bench;

/// <summary>
/// Time of the semantic knowledge bank on one 1500×1000 reference (SMHDR's training resolution): the DeepLab
/// backend alone, the Felzenszwalb segmenter alone (with the class map, as the SKB runs it) and the whole
/// <see cref="SemanticKnowledgeBank.Compute(FloatImage)"/> (backend, resampling to the image grid, segmenter).
/// The reference is a 1500×1000 centre crop of shared pingpong/Img2.JPG, so the segmenter sees real texture.
/// </summary>
public static class SkbBench
{
    public const string Help = "SKB time for a 1500x1000 reference [--runs N] [--working-size S] [--threads T]";

    public static int Run(string[] args)
    {
        int runs = IntOption(args, "--runs", 3), workingSize = IntOption(args, "--working-size", 513), threads = IntOption(args, "--threads", 2);
        torch.set_num_threads(threads);
        var imagePath = TeamDataFolder.Path("data", "brackets", "pingpong", "Img2.JPG")
            ?? throw new IOException("the bench needs ../shared/data/brackets/pingpong/Img2.JPG");
        var reference = CentreCrop(LdrImageFile.Read(imagePath).Pixels, 1500, 1000);

        using var skb = new SemanticKnowledgeBank(DeepLabV3Backend.FromShared(workingSize));
        var batch = reference.ToTensor().unsqueeze(0);
        int[] classMap;
        using (var warm = skb.Compute(reference)) classMap = warm.ClassMap!;   // warm-up: weights, allocator, JIT

        var backend = Time(runs, () =>
        {
            using var _ = torch.no_grad();
            using var outputs = skb.Backend.Forward(batch);
        }, warmUp: false);
        var segmenter = Time(runs, () => new FelzenszwalbSegmenter(skb.SegmenterOptions).Segment(reference, classMap), warmUp: false);
        int segments = 0;
        var total = Time(runs, () => { using var p = skb.Compute(reference); segments = p.Segments.Count; }, warmUp: false);

        Console.WriteLine($"SKB on a 1500x1000 reference: {skb.Backend.Id}, {skb.SegmenterOptions.Key}, torch threads {threads}, {runs} runs after 1 warm-up, {segments} segments");
        Console.WriteLine("| stage | median s | min s |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, t) in new[] { ("DeepLabV3-MNV2 backend", backend), ("Felzenszwalb segmenter", segmenter), ("SKB total (Compute)", total) })
            Console.WriteLine($"| {name} | {t.Median:F2} | {t.Min:F2} |");
        return 0;
    }

    private static FloatImage CentreCrop(FloatImage image, int width, int height)
    {
        if (image.Width < width || image.Height < height) throw new ArgumentException($"image is {image.Width}x{image.Height}, smaller than {width}x{height}");
        int x0 = (image.Width - width) / 2, y0 = (image.Height - height) / 2;
        var crop = new FloatImage(width, height, image.Channels);
        for (int c = 0; c < image.Channels; c++)
            for (int y = 0; y < height; y++)
                image.Row(c, y0 + y).Slice(x0, width).CopyTo(crop.Row(c, y));
        return crop;
    }

}
