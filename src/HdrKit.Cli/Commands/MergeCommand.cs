using System.CommandLine;
using System.Diagnostics;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Util;

namespace HdrKit.Cli.Commands;

/// <summary>`hdrkit merge`: a bracket of LDR photos → one HDR file, by the default network or the classical pipeline.</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("images")
        {
            Description = "The bracket: 2 or more LDR images (TIFF/PNG/JPEG, 8 or 16 bit), or one scene folder (Kalantari layout: images sorted by name + exposure.txt).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "HDR file to write: .exr (half, ZIP), .hdr (Radiance RGBE), .pfm, or .tif (32-bit float).", Required = true };
        var exposures = new Option<string?>("--exposures") { Description = "Exposure times in seconds, one per image in the given order, e.g. 1/250,1/60,1/15. Default: exposure.txt in a scene folder, else EXIF." };
        var ev = new Option<string?>("--ev") { Description = "Exposures in stops instead, one per image, e.g. -2,0,2." };
        var reference = new Option<int?>("--reference") { Description = "1-based image whose geometry the result follows (classical merge). Default: the middle exposure of up to 3, else the best-exposed frame. Networks always use the middle exposure." };
        var method = new Option<string?>("--method") { Description = "'classical', or 'network' (the default model, or --model). Default: the shipped default model (models/default) for brackets it takes, else classical; --ghost-mask, --no-align, --no-deghost or --response also select classical." };
        var model = new Option<string?>("--model") { Description = NetworkArguments.ModelHelp + " Default: models/default." };
        var weights = new Option<string?>("--weights") { Description = "Weights for --model: .safetensors or a PyTorch .pth." };
        var preview = new Option<string?>("--preview") { Description = "Also write a tonemapped 8-bit preview (.png/.jpg/.tif)." };
        var previewKind = new Option<PreviewKind>("--preview-kind") { Description = "Tonemapped (auto-keyed Reinhard, default), Exposure (plain sRGB exposure) or MuLaw (as in the papers).", DefaultValueFactory = _ => PreviewKind.Tonemapped };
        var ghostMask = new Option<string?>("--ghost-mask") { Description = "Classical merge: also write the mask of rejected (moving) content as a PNG." };
        var noAlign = new Option<bool>("--no-align") { Description = "Classical merge: skip MTB alignment (tripod shots)." };
        var noDeghost = new Option<bool>("--no-deghost") { Description = "Classical merge: plain Debevec merge, no ghost rejection." };
        var response = new Option<string>("--response") { Description = "Classical merge: camera response. 'gamma' assumes γ 2.2 (the deghosting datasets' camera), 'calibrated' recovers it from the bracket (Debevec & Malik), 'auto' (default) calibrates brackets of 5 or more frames, where that is well posed.", DefaultValueFactory = _ => "auto" };
        var exrType = new Option<ExrPixelType>("--exr-type") { Description = "EXR sample type: Half (default) or Float.", DefaultValueFactory = _ => ExrPixelType.Half };
        var exrCompression = new Option<ExrCompression>("--exr-compression") { Description = "EXR compression: Zip (default), Zips or None.", DefaultValueFactory = _ => ExrCompression.Zip };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var guardOption = new Option<bool>("--guard") { Description = "Networks (experimental): where the output contradicts the reference frame's tone curve (the network trusted an exposure it could not align: large motion), use the classical merge there. Removes pingpong's paddle and arm ghosts; costs 0.8 dB PSNR-μ on the validation set, where the network is right. See docs/inference.md." };
        var tile = new Option<int?>("--tile") { Description = "Networks: tiles hold at most N×N pixels (default N: the network's, 1024 for SAFNet, 512 for the others), shaped to cover the image with the fewest pixels; smaller tiles use less memory." };
        var acceptCorruptJpeg = new Option<bool>("--accept-corrupt-jpeg") { Description = "Read JPEGs whose compressed data is damaged (decoded as far as it goes) instead of refusing them." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print the wall time of each stage (start-up, model, reading, network, writing) on stderr." };

        var cmd = new Command("merge", "Merge a bracket of differently exposed photos into one ghost-free HDR image.");
        cmd.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, exposures, ev, reference, method, model, weights, preview, previewKind, ghostMask, noAlign, noDeghost, response, exrType, exrCompression, device, tile, guardOption, acceptCorruptJpeg, verbose })
            cmd.Options.Add(o);

        cmd.SetAction(parse => CliRunner.Guard(() =>
        {
            MergeHost.KeepFreedMemory();
            var times = parse.GetValue(verbose) ? new StageTimes() : null;
            // The convolution self-check loads libtorch when the network is built (never for a classical merge).
            times?.Add("start-up", DateTime.Now - Process.GetCurrentProcess().StartTime - ConvolutionSelfCheck.LoadTime);
            var libtorchBefore = ConvolutionSelfCheck.LoadTime;
            var files = parse.GetValue(inputs)!;
            var outPath = parse.GetValue(output)!;
            var previewPath = parse.GetValue(preview);
            var maskPath = parse.GetValue(ghostMask);
            // Everything that can be checked before the slow part is checked first, so a typo costs nothing.
            CheckWritable(outPath, "--output", HdrImageFile.IsSupported(outPath), ".exr, .hdr, .pfm or .tif");
            if (previewPath != null) CheckWritable(previewPath, "--preview", IsLdrExtension(previewPath), ".png, .jpg or .tif");
            if (maskPath != null) CheckWritable(maskPath, "--ghost-mask", IsLdrExtension(maskPath), ".png, .jpg or .tif");
            if (parse.GetValue(tile) is int tileSize && tileSize < MinimumTile)
                throw new UserInputException($"--tile {tileSize}: must be at least {MinimumTile} pixels (default: the network's)");
            Devices.Validate(parse.GetValue(device));
            if (parse.GetValue(acceptCorruptJpeg)) LdrImageFile.AcceptCorruptJpeg = true;

            var inputList = BracketFiles.ExpandInputs(files);
            double[]? seconds = NetworkArguments.ExposuresFor(parse.GetValue(exposures), parse.GetValue(ev), inputList.Count);
            int? referenceIndex = parse.GetValue(reference) is int r ? r - 1 : null;

            var responseKind = parse.GetValue(response)!.ToLowerInvariant();
            var responseChoice = responseKind switch
            {
                "auto" => ResponseChoice.Auto,
                "gamma" => ResponseChoice.Gamma,
                "calibrated" => ResponseChoice.Calibrated,
                _ => throw new UserInputException($"unknown --response '{responseKind}': use auto, gamma or calibrated"),
            };
            // Options that only mean something to the classical merge pick it when no method is named, so
            // `merge ... --ghost-mask m.png` keeps working whether or not a default model is installed.
            bool classicalOption = new Option[] { ghostMask, noAlign, noDeghost, response }.Any(o => parse.GetResult(o) is { Implicit: false });
            var modelName = parse.GetValue(model);
            var mergeMethod = NetworkArguments.MethodFor(parse.GetValue(method), modelName);
            // Decoding the frames needs nothing from libtorch, so it runs while libtorch and the network load: about
            // 0.15 s of a 2 s merge. Its errors surface where the result is awaited, still before anything is written.
            var reading = Task.Run(() => BracketFiles.Load(inputList, seconds, referenceIndex));
            var modelClock = Stopwatch.StartNew();
            var (network, networkName) = modelName != null ? NetworkArguments.Load(modelName, parse.GetValue(weights)) : (null, null);
            using var merger = BracketMerger.Create(new MergeOptions
            {
                Method = mergeMethod, Network = network, NetworkName = networkName, ClassicalSettingsRequested = classicalOption,
                Align = !parse.GetValue(noAlign), Deghost = !parse.GetValue(noDeghost), Response = responseChoice,
                TileSize = parse.GetValue(tile), Device = parse.GetValue(device), Guard = parse.GetValue(guardOption), Times = times,
            }, inputList.Count);
            var libtorch = ConvolutionSelfCheck.LoadTime - libtorchBefore;
            if (ConvolutionSelfCheck.HasRun) times?.Add("libtorch", ConvolutionSelfCheck.LoadTime);
            times?.Add("model", modelClock.Elapsed - libtorch);
            foreach (var note in merger.Notes) Console.Error.WriteLine(note);
            if (merger.Network != null && maskPath != null) throw new UserInputException("--ghost-mask is only available with the classical merge");

            var clock = Stopwatch.StartNew();
            var (loaded, merged) = ConsoleProgress.Run(stage =>
            {
                LoadedBracket loaded;
                stage("reading");
                using (times?.Measure("read (wait)"))
                    loaded = reading.GetAwaiter().GetResult();
                BracketMergeResult merged;
                using (times?.Measure("merge"))
                    merged = merger.MergeInStages(loaded.Bracket, stage);
                return (loaded with { Bracket = merged.Bracket }, merged);
            });
            // Printed after the progress display, which owns stderr while it runs.
            foreach (var note in merged.Notes) Console.Error.WriteLine(note);
            var (radiance, mask) = (merged.Radiance, merged.GhostMask);

            using (times?.Measure("write"))
                HdrImageFile.Write(outPath, radiance, new HdrWriteOptions(parse.GetValue(exrType), parse.GetValue(exrCompression)));
            if (previewPath != null)
                using (times?.Measure("preview"))
                    LdrImageFile.Write(previewPath, Preview.Render(radiance, parse.GetValue(previewKind)));
            if (maskPath != null && mask != null) LdrImageFile.Write(maskPath, mask);

            var b = loaded.Bracket;
            Console.WriteLine($"wrote {outPath}: {b.Width}x{b.Height} from {b.Count} exposures ({DescribeExposures(loaded)}), reference {b.ReferenceIndex + 1}, {merged.Method}, {clock.Elapsed.TotalSeconds:F1} s");
            if (previewPath != null) Console.WriteLine($"wrote {previewPath}");
            if (maskPath != null) Console.WriteLine($"wrote {maskPath}");
            if (times != null) Console.Error.WriteLine($"times: {times}");
            return 0;
        }, checksConvolution: true));
        return cmd;
    }

    /// <summary>Below this a tile is mostly overlap: the merge would be slow and seams likely.</summary>
    private const int MinimumTile = 64;

    private static void CheckWritable(string path, string option, bool extensionOk, string expected)
    {
        if (!extensionOk) throw new UserInputException($"{option} {path}: unsupported file type, expected {expected}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{option} {path}: folder {dir} does not exist");
        // A read-only folder must fail here, before minutes of merging and before the EXR of a pair is written.
        try { AtomicFile.EnsureWritable(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UserInputException($"{option}: {e.Message}"); }
    }

    private static bool IsLdrExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".tif" or ".tiff";

    private static string DescribeExposures(LoadedBracket loaded)
    {
        string times = string.Join(", ", loaded.Bracket.ExposureSeconds.Select(FormatSeconds));
        return loaded.ExposureSource switch
        {
            ExposureSource.Given => $"given: {times}",
            ExposureSource.ExposureFile => $"exposure.txt: {string.Join(", ", loaded.Bracket.RelativeStops().Select(s => $"{s:+0.#;-0.#;0} EV"))}",
            ExposureSource.Exif => $"EXIF: {times}",
            _ => $"EXIF, aperture/ISO varied: relative exposures {times}",
        };
    }

    private static string FormatSeconds(double t) => t >= 1 ? $"{t:0.##} s" : $"1/{1 / t:0.#} s";
}
