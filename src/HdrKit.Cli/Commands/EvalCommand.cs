using System.CommandLine;
using HdrKit.Classical;
using HdrKit.Data;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Metrics;
using HdrKit.Models;
using HdrKit.Inference;

namespace HdrKit.Cli.Commands;

/// <summary>
/// `hdrkit eval DIR (--model NAME --weights FILE | --model FOLDER | --classical) [--out DIR] [--outputs] [--previews]`: per-scene and
/// mean PSNR-μ/L, SSIM-μ/L over a Kalantari-layout folder, as Markdown and CSV.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Argument<string>("dataset") { Description = "Folder of Kalantari-layout scenes (one subfolder per scene: TIFFs, exposure.txt, HDRImg.hdr), e.g. from `hdrkit simulate --preset validation`." };
        var model = new Option<string?>("--model") { Description = NetworkArguments.ModelHelp };
        var weights = new Option<string?>("--weights") { Description = "Weights for --model (.safetensors or PyTorch .pth)." };
        var classical = new Option<bool>("--classical") { Description = "Evaluate the classical deghosting merge instead of a network." };
        var noDeghost = new Option<bool>("--no-deghost") { Description = "Classical: plain Debevec merge without ghost rejection." };
        var noAlign = new Option<bool>("--no-align") { Description = "Classical: skip MTB alignment." };
        var guardOption = new Option<bool>("--guard") { Description = "Networks: apply the reference guard of `hdrkit merge --guard` (classical merge where the output contradicts the reference)." };
        var output = new Option<string?>("--out") { Description = "Folder for eval.md and eval.csv (and outputs/previews). Default: eval-<method>." };
        var outputs = new Option<bool>("--outputs") { Description = "Also write each scene's merged HDR (.exr, in the ground truth's unit)." };
        var previews = new Option<bool>("--previews") { Description = "Also write tonemapped PNG previews of each result." };
        var cmd = new Command("eval", "Score a network or the classical merge on a Kalantari-layout folder: per-scene and mean PSNR-μ/L, SSIM-μ/L.");
        cmd.Arguments.Add(data);
        foreach (var o in new Option[] { model, weights, classical, noDeghost, noAlign, guardOption, output, outputs, previews }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliRunner.Guard(() =>
        {
            var folder = parse.GetValue(data)!;
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"dataset folder not found: {folder}");
            bool isClassical = parse.GetValue(classical);
            var name = parse.GetValue(model);
            if (isClassical == (name != null)) throw new UserInputException("give either --model NAME --weights FILE, --model FOLDER or --classical");

            // Both paths return radiance relative to the reference exposure, like `hdrkit merge`.
            Func<Bracket, FloatImage> merge;
            string method;
            if (name != null)
            {
                var (network, _) = NetworkArguments.Load(name, parse.GetValue(weights));
                if (NetworkArguments.IsModelFolder(name)) name = NetworkArguments.FolderName(name);
                bool guarded = parse.GetValue(guardOption);
                var merger = new NetworkMerger(network, guard: guarded ? new ReferenceGuard() : null);
                merge = b =>
                {
                    var merged = merger.MergeWithGuard(b);
                    if (merged.GuardReplaced) Console.WriteLine($"  reference guard: {merged.GuardCoverage:P2} of the pixels from the classical merge");
                    return merged.Radiance;
                };
                method = guarded ? name + "-guarded" : name;
            }
            else
            {
                var merger = new ClassicalMerger(new ClassicalMergeOptions(Align: !parse.GetValue(noAlign), Deghost: !parse.GetValue(noDeghost)));
                merge = b => merger.Merge(b).Radiance;
                method = "classical";
            }

            var scenes = KalantariScene.FindScenes(folder); // throws when there is none
            var outFolder = parse.GetValue(output) ?? $"eval-{method}";
            Directory.CreateDirectory(outFolder);
            var report = SceneEvaluator.Run(method, scenes.Count, (i, evaluator) =>
            {
                var scene = KalantariScene.Read(scenes[i], readExtras: false);
                var result = scene.FromReferenceScale(merge(scene.ToBracket()));
                var m = evaluator.Score(scene.Name, result, scene.GroundTruth);
                Console.WriteLine($"{scene.Name}: PSNR-μ {m.PsnrMu:F2} dB, PSNR-L {m.PsnrL:F2} dB, SSIM-μ {m.SsimMu:F4}, SSIM-L {m.SsimL:F4}");
                if (parse.GetValue(outputs)) HdrImageFile.Write(Path.Combine(outFolder, scene.Name + ".exr"), result);
                if (parse.GetValue(previews)) LdrImageFile.Write(Path.Combine(outFolder, scene.Name + ".png"), Preview.Render(result));
            }).Report;
            var (md, csv) = report.Save(outFolder);
            Console.Write(report.ToMarkdown(2));
            Console.WriteLine($"wrote {md} and {csv}");
            return 0;
        }));
        return cmd;
    }
}
