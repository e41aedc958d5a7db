using System.CommandLine;
using System.Diagnostics;
using HdrKit.Imaging;
using HdrKit.Semantic;
using HdrKit.Util;

namespace HdrKit.Cli.Commands;

/// <summary>
/// `hdrkit segment IMG... -o map.png`: runs the semantic knowledge bank on the reference exposure (the middle
/// of the given bracket, or the one image) and writes a colour-coded segment map plus a class-overlay preview.
/// </summary>
public static class SegmentCommand
{
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "LDR exposures of one bracket (the middle one is the reference) or a single image", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "segment-map preview PNG to write", Required = true };
        var classes = new Option<string?>("--classes") { Description = "class-overlay preview PNG (default: <output>.classes.png)" };
        var model = new Option<string?>("--model") { Description = "DeepLabV3 .tflite (default: ../shared/models/deeplabv3-mnv2-voc/deeplabv3_257_mv_gpu.tflite)" };
        var working = new Option<int>("--working-size") { Description = "long side the network sees", DefaultValueFactory = _ => 513 };
        var k = new Option<float>("--k") { Description = "Felzenszwalb–Huttenlocher scale k (0..255 colours; larger = bigger segments)", DefaultValueFactory = _ => 500f };
        var sigma = new Option<float>("--sigma") { Description = "Gaussian pre-smoothing σ in pixels", DefaultValueFactory = _ => 0.8f };
        var minArea = new Option<double>("--min-area") { Description = "minimum segment area as a fraction of the image (SMHDR: 1000 px of 1500×1000)", DefaultValueFactory = _ => 1000.0 / 1.5e6 };
        var noClasses = new Option<bool>("--no-class-boundaries") { Description = "do not let DeepLab's class boundaries split segments" };
        var ids = new Option<string?>("--ids") { Description = "also write the segment ids as a 16-bit grey PNG (id / 65535, the simulator's segments.png convention)" };
        var cache = new Option<string?>("--cache") { Description = "folder for the SKB cache file (features, classes, segments); reused when the input matches" };
        var cmd = new Command("segment", "Segment everything in the reference exposure: class-agnostic segment map, DeepLab classes and SKB features.")
        {
            images, output, classes, model, working, k, sigma, minArea, noClasses, cache, ids,
        };
        cmd.SetAction(r => CliRunner.Guard(() =>
        {
            var paths = r.GetValue(images)!;
            var outPath = r.GetValue(output)!;
            string refPath = paths[paths.Length / 2];
            var reference = LdrImageFile.Read(refPath).Pixels;
            var fh = new FelzenszwalbOptions
            {
                K = r.GetValue(k), Sigma = r.GetValue(sigma), MinAreaFraction = r.GetValue(minArea),
                RespectClassBoundaries = !r.GetValue(noClasses),
            };
            Devices.ConfigureThreads();
            var modelPath = r.GetValue(model);
            var backend = modelPath != null ? new DeepLabV3Backend(modelPath, r.GetValue(working)) : DeepLabV3Backend.FromShared(r.GetValue(working));
            using var skb = new SemanticKnowledgeBank(backend, fh);

            var clock = Stopwatch.StartNew();
            var cacheDir = r.GetValue(cache);
            using var priors = cacheDir != null ? skb.GetOrCompute(reference, cacheDir) : skb.Compute(reference);
            clock.Stop();

            LdrImageFile.Write(outPath, SegmentPreview.Colorize(priors.Segments));
            if (r.GetValue(ids) is string idsPath)
            {
                if (priors.Segments.Count > 65536) throw new ArgumentException($"{priors.Segments.Count} segments do not fit the 16-bit --ids PNG");
                var idImage = new FloatImage(priors.Segments.Width, priors.Segments.Height, 1);
                for (int i = 0; i < idImage.Data.Length; i++) idImage.Data[i] = priors.Segments.Ids[i] / 65535f;
                LdrImageFile.Write(idsPath, idImage, 16);
            }
            var classPath = r.GetValue(classes) ?? Path.ChangeExtension(outPath, ".classes.png");
            LdrImageFile.Write(classPath, SegmentPreview.ClassOverlay(reference, priors.ClassMap, priors.Segments));

            Console.WriteLine($"reference {refPath} ({reference.Width}x{reference.Height}), SKB {skb.Backend.Id}, {clock.Elapsed.TotalSeconds:F2} s");
            Console.WriteLine($"segments: {priors.Segments.Count}{(priors.Segments.RestId is int rest ? $" (id {rest} = small/unassigned)" : "")}");
            if (priors.ClassMap != null && priors.ClassNames != null)
            {
                var fractions = priors.ClassMap.GroupBy(c => c).Select(g => (name: priors.ClassNames[g.Key], f: g.Count() / (double)priors.ClassMap.Length))
                    .OrderByDescending(x => x.f).Take(5);
                Console.WriteLine("classes: " + string.Join(", ", fractions.Select(x => $"{x.name} {x.f:P1}")));
            }
            Console.WriteLine($"wrote {outPath} and {classPath}");
            if (cacheDir != null) Console.WriteLine($"cache {skb.CachePath(reference, cacheDir)}");
            return 0;
        }));
        return cmd;
    }
}
