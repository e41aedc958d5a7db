using System.Diagnostics;
using HdrKit.Data;

namespace HdrKit.Bench;

/// <summary>
/// Suite "loader": patches per second of the training loader on simulated scenes rendered on the fly
/// (128 and 256 patches, 1 and 2 workers) and, with --folder DIR, on a Kalantari-layout folder (cached).
/// </summary>
public static class LoaderBench
{
    public static int Run(string[] args)
    {
        int batches = 12;
        string? folder = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batches" && i + 1 < args.Length) batches = int.Parse(args[++i]);
            else if (args[i] == "--folder" && i + 1 < args.Length) folder = args[++i];
        }
        var maps = HdrCorpus.LoadBundled().TrainingSplit();
        Console.WriteLine($"loader benchmark, {Environment.ProcessorCount} cores, {batches} batches of 8 after 2 warm-up batches");
        Console.WriteLine("| source | patch | workers | patches/s | ms/batch |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int patch in new[] { 128, 256 })
            foreach (int workers in new[] { 1, 2 })
            {
                var sim = new BracketSimulator(maps.Maps, SimulationPreset.Training.Options with { Width = patch, Height = patch });
                Measure("synthetic on the fly", new SyntheticSceneSource(sim, 1), patch, workers, batches);
            }
        if (folder != null)
            foreach (int patch in new[] { 128, 256 })
                Measure("folder (cached)", new FolderSceneSource(folder), patch, 2, batches);
        return 0;
    }

    private static void Measure(string name, ISceneSource source, int patch, int workers, int batches)
    {
        var options = new LoaderOptions
        {
            BatchSize = 8, PatchSize = patch, Workers = workers, Prefetch = 4,
            Augmentation = AugmentationOptions.Strong, IncludeSegments = true, IncludeMotionMask = true,
        };
        using var loader = new PatchLoader(source, options);
        for (int i = 0; i < 2; i++) loader.Next().Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < batches; i++) loader.Next().Dispose();
        double s = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"| {name} | {patch} | {workers} | {batches * 8 / s:F1} | {1000 * s / batches:F0} |");
    }
}
