namespace HdrKit.Bench;

public static class BenchRunner
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Suites = new()
    {
        ["skb"] = (SkbBench.Help, SkbBench.Run),
        ["skt"] = (SktBench.Help, SktBench.Run),
        ["loader"] = ("training loader throughput: patches/s, synthetic on the fly or --folder DIR", LoaderBench.Run),
        ["metrics"] = (MetricsBench.Help, MetricsBench.Run),
        ["classical"] = ("Debevec merge and Mertens fusion vs OpenCV on real brackets", ClassicalBench.Run),
        ["zoo"] = ("zoo networks' forward time and peak memory vs the authors' PyTorch code", ZooBench.Run),
        ["safnet"] = ("SAFNet-S ms/MP on 1500x1000 (--size, --runs); --rss WxH: tiled peak memory", SafNetBench.Run),
        ["tiles"] = (TileBench.Help, TileBench.Run),
        ["merge"] = (MergeBench.Help, MergeBench.Run),
        ["opencvsharp"] = (OpenCvSharpBench.Help, OpenCvSharpBench.Run),
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Suites.TryGetValue(args[0], out var suite))
        {
            Console.WriteLine("usage: HdrKit.Bench <suite> [options]\nsuites:");
            foreach (var (name, s) in Suites) Console.WriteLine($"  {name,-16} {s.Help}");
            return args.Length == 0 ? 0 : 2;
        }
        return suite.Run(args[1..]);
    }
}
