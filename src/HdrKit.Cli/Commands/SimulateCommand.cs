using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HdrKit.Data;
using HdrKit.Imaging;

namespace HdrKit.Cli.Commands;

/// <summary>
/// `hdrkit simulate -o DIR`: writes simulated ghosted brackets with ground truth, segment maps and motion masks as
/// Kalantari-layout scene folders. `--preset validation` reproduces the fixed evaluation set exactly.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "folder to write scene folders into (created if missing)", Required = true };
        var preset = new Option<string>("--preset") { Description = "validation (24 fixed scenes from held-out maps), validation-shifted (24 scenes from the held-out maps with cameras, motion and clipping outside the training ranges) or training", DefaultValueFactory = _ => "training" };
        var count = new Option<int?>("--count", "-n") { Description = "number of scenes (default: the preset's)" };
        var start = new Option<int>("--start") { Description = "index of the first scene (to extend a set)", DefaultValueFactory = _ => 0 };
        var seed = new Option<long?>("--seed") { Description = "base seed (default: the preset's)" };
        var size = new Option<string?>("--size") { Description = "scene size WxH (default: the preset's)" };
        var exposures = new Option<int?>("--exposures") { Description = "exposures per bracket, 2..7 (default 3)" };
        var evSteps = new Option<string?>("--ev-steps") { Description = "stops between exposures, one drawn per scene, e.g. 2 or 2,3" };
        var hdri = new Option<string[]>("--hdri") { Description = "folders or files of radiance maps (.hdr) instead of the bundled data/hdri", AllowMultipleArgumentsPerToken = true };
        var allMaps = new Option<bool>("--all-maps") { Description = "use every map, ignoring the held-out validation split (for your own corpus)" };
        var camera = new Option<string?>("--camera") { Description = "camera distribution: random, kalantari (γ 2.2, 16-bit), shifted (outside the training ranges) or ideal (no noise)" };
        var still = new Option<bool>("--static") { Description = "nothing moves: no camera shake, no objects (same as --motion static)" };
        var motion = new Option<string?>("--motion") { Description = "motion model: normal (objects move up to 0.1 of the frame per exposure), large (large, often dark subjects moving up to 0.35 of the frame: handheld shots of people), clipping (normal motion, a third of the movers clipping the reference or over clipped highlights: training data for clipped references), fast-clipping (clipping's movers, half of them bright, moving 0.04–0.2 of the frame per exposure), handheld (clipping, with the whole frame shifted by about 0.03 of the frame: camera motion alignment left), far-handheld (handheld with σ 0.07 of the frame: pingpong's pixel shifts at 512²), shifted (large subjects with swinging limbs, over or as clipped highlights) or static" };
        var sheet = new Option<string?>("--sheet") { Description = "also write a contact-sheet PNG of the first scenes" };
        var sheetScenes = new Option<int>("--sheet-scenes") { Description = "scenes on the contact sheet", DefaultValueFactory = _ => 4 };
        var cmd = new Command("simulate", "Simulate exposure brackets of moving scenes with exact HDR ground truth, segment maps and motion masks (Kalantari layout).")
        {
            output, preset, count, start, seed, size, exposures, evSteps, hdri, allMaps, camera, still, motion, sheet, sheetScenes,
        };
        cmd.SetAction(r => CliRunner.Guard(() =>
        {
            var spec = new SimulationSpec
            {
                Preset = r.GetValue(preset)!, Size = r.GetValue(size), Exposures = r.GetValue(exposures),
                EvSteps = r.GetValue(evSteps) is { } ev ? ParseList(ev, "--ev-steps") : null, Camera = r.GetValue(camera),
                Motion = r.GetValue(still) ? "static" : r.GetValue(motion), Hdri = r.GetValue(hdri), AllMaps = r.GetValue(allMaps),
            };
            var p = spec.FindPreset();
            var options = spec.Options();
            var maps = spec.Maps();
            var simulator = new BracketSimulator(maps.Maps, options);
            long baseSeed = r.GetValue(seed) ?? p.Seed;
            int n = r.GetValue(count) ?? p.Count, first = r.GetValue(start);
            if (n < 1) throw new ArgumentException($"--count must be at least 1, got {n}");
            if (first < 0) throw new ArgumentException($"--start must not be negative, got {first}");

            var outDir = r.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            Console.WriteLine($"simulating {n} scenes ({options.Width}x{options.Height}, {options.Exposures} exposures) from {maps.Maps.Count} maps " +
                              $"[{string.Join(", ", maps.Maps.Select(m => m.Name))}], seed {baseSeed}, into {outDir}");
            var clock = Stopwatch.StartNew();
            var preview = new List<SimulatedScene>();
            for (int i = first; i < first + n; i++)
            {
                var scene = simulator.Simulate(baseSeed, i);
                KalantariScene.Write(Path.Combine(outDir, scene.Name), scene);
                if (preview.Count < r.GetValue(sheetScenes)) preview.Add(scene);
                Console.WriteLine($"  {scene.Name}: {SceneSummary(scene)}");
            }
            Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
            if (r.GetValue(sheet) is { } sheetPath && preview.Count > 0)
            {
                LdrImageFile.Write(sheetPath, ContactSheet.Build(preview, options.Width >= 512 ? 2 : 1));
                Console.WriteLine($"contact sheet: {sheetPath}");
            }
            return 0;
        }));
        return cmd;
    }

    private static string SceneSummary(SimulatedScene s)
    {
        var gt = s.GroundTruth.Data;
        double over = gt.Count(v => v > 1f) / (double)gt.Length;
        double moving = s.MotionMask == null ? 0 : s.MotionMask.Count(1) / (double)(s.Width * s.Height);
        return string.Create(CultureInfo.InvariantCulture,
            $"stops [{string.Join(", ", s.Stops)}], GT>1 {over:P1}, moving {moving:P1}, {s.Segments?.DistinctCount ?? 0} segments");
    }

    private static double[] ParseList(string s, string option) =>
        s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : throw new ArgumentException($"{option}: '{v}' is not a number")).ToArray();
}
