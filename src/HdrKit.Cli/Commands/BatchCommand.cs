using System.CommandLine;
using HdrKit.Exposure;
using HdrKit.Inference;
using Spectre.Console;

namespace HdrKit.Cli.Commands;

/// <summary>`hdrkit batch`: a folder of many brackets → one HDR file per bracket (BatchMerge does the work).</summary>
public static class BatchCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of LDR frames (JPEG/TIFF/PNG) holding several brackets." };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the HDR files, one per bracket, named after its first and last frame.", Required = true };
        var group = new Option<int?>("--group") { Description = "Frames per bracket, in file-name order, ignoring EXIF (for frames without capture times)." };
        var gap = new Option<double>("--gap") { Description = "Longest pause in seconds between frames of one bracket (EXIF capture time).", DefaultValueFactory = _ => BracketGrouping.DefaultMaxGapSeconds };
        var format = new Option<string>("--format") { Description = "Output type: exr (half, ZIP), hdr, pfm or tif.", DefaultValueFactory = _ => "exr" };
        var exposures = new Option<string?>("--exposures") { Description = "Exposure times in seconds for every bracket, e.g. 1/250,1/60,1/15 (frames without EXIF). Default: EXIF." };
        var ev = new Option<string?>("--ev") { Description = "Exposures in stops for every bracket instead, e.g. -2,0,2." };
        var method = new Option<string?>("--method") { Description = "'classical', or 'network' (the default model, or --model). Default: as `hdrkit merge`." };
        var model = new Option<string?>("--model") { Description = NetworkArguments.ModelHelp + " Default: models/default." };
        var weights = new Option<string?>("--weights") { Description = "Weights for --model: .safetensors or a PyTorch .pth." };
        var tile = new Option<int?>("--tile") { Description = "Networks: tiles hold at most N×N pixels; smaller tiles use less memory." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var guardOption = new Option<bool>("--guard") { Description = "Networks (experimental): the classical merge where the output contradicts the reference frame (see `hdrkit merge --help`)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list the brackets found." };

        var cmd = new Command("batch", "Merge a folder of many brackets, one HDR file per bracket: frames are grouped by EXIF capture time and exposure sequence (or --group N); finished outputs are skipped, so an interrupted batch resumes.");
        cmd.Arguments.Add(folder);
        foreach (var o in new Option[] { output, group, gap, format, exposures, ev, method, model, weights, tile, device, guardOption, dryRun })
            cmd.Options.Add(o);

        cmd.SetAction((parse, cancel) => Task.FromResult(CliRunner.Guard(() =>
        {
            MergeHost.KeepFreedMemory();
            var extension = "." + parse.GetValue(format)!.TrimStart('.').ToLowerInvariant();
            if (extension is not (".exr" or ".hdr" or ".pfm" or ".tif"))
                throw new UserInputException($"unknown --format '{parse.GetValue(format)}': use exr, hdr, pfm or tif");
            double[]? seconds = NetworkArguments.ExposuresFor(parse.GetValue(exposures), parse.GetValue(ev), null);
            var modelName = parse.GetValue(model);
            var mergeMethod = NetworkArguments.MethodFor(parse.GetValue(method), modelName);

            var groups = BracketGrouping.Group(BracketGrouping.Scan(parse.GetValue(folder)!), parse.GetValue(group), parse.GetValue(gap));
            Console.Error.WriteLine($"found {groups.Count} bracket(s) in {groups.Sum(g => g.Count)} images");
            if (parse.GetValue(dryRun))
            {
                foreach (var g in groups) Console.WriteLine($"{g.Name}: {string.Join(" ", g.Files.Select(Path.GetFileName))}");
                return 0;
            }

            var (network, networkName) = modelName != null ? NetworkArguments.Load(modelName, parse.GetValue(weights)) : (null, null);
            try
            {
                var batch = new BatchMerge(new BatchOptions
                {
                    Merge = new MergeOptions
                    {
                        Method = mergeMethod, Network = network, NetworkName = networkName, TileSize = parse.GetValue(tile),
                        Device = parse.GetValue(device), Guard = parse.GetValue(guardOption),
                    },
                    Extension = extension,
                    ExposureSeconds = seconds,
                });
                var outFolder = parse.GetValue(output)!;
                var results = ConsoleProgress.Run(stage => batch.Run(groups, outFolder, stage($"merging {groups.Count} brackets"), cancel));
                PrintSummary(results);
                return results.Any(r => r.Status == BatchStatus.Failed) ? 1 : 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("interrupted: finished brackets are kept; run the same command again to merge the rest");
                return 130;
            }
            finally { network?.Dispose(); }
        }, checksConvolution: true)));
        return cmd;
    }

    private static void PrintSummary(IReadOnlyList<BatchItemResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 240; // one row per bracket in logs and pipes
        var table = new Table().AddColumns("bracket", "frames", "status", "size", "time", "method / error");
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.Group.Name), r.Group.Count.ToString(), r.Status.ToString().ToLowerInvariant(),
                r.Width > 0 ? $"{r.Width}x{r.Height}" : "", r.Status == BatchStatus.Skipped ? "" : $"{r.Elapsed.TotalSeconds:F1} s",
                Markup.Escape(r.Error ?? r.Method ?? "output exists"));
        console.Write(table);
        console.WriteLine($"{results.Count(r => r.Status == BatchStatus.Merged)} merged, {results.Count(r => r.Status == BatchStatus.Skipped)} skipped (output exists), {results.Count(r => r.Status == BatchStatus.Failed)} failed");
        foreach (var r in results.Where(r => r.Notes.Count > 0))
            foreach (var note in r.Notes.Distinct()) Console.Error.WriteLine($"{r.Group.Name}: {note}");
    }
}
