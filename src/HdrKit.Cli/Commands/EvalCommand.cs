using System.CommandLine;
using HdrKit.Classical;
using HdrKit.Data;
using HdrKit.Evaluation;
using HdrKit.Metrics;
using HdrKit.Models;

namespace HdrKit.Cli.Commands;

/// <summary>
/// `hdrkit eval --data <kalantari folder> (--model NAME --weights FILE | --classical) [--out DIR] [--previews]`:
/// per-scene and mean PSNR-μ/L, SSIM-μ/L as Markdown and CSV (HdrKit.Evaluation.EvaluationReport).
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Kalantari-layout test folder (one subfolder per scene: 3 TIFFs, exposure.txt, HDRImg.hdr).", Required = true };
        var model = new Option<string?>("--model") { Description = "Registry name of the network (see `hdrkit info`)." };
        var weights = new Option<string?>("--weights") { Description = "Weights for --model (.safetensors, e.g. a run's model.safetensors)." };
        var classical = new Option<bool>("--classical") { Description = "Evaluate the classical deghosting merge instead of a network." };
        var output = new Option<string?>("--out") { Description = "Folder for eval.md, eval.csv and, with --outputs, merged HDRs. Default: eval-<method>." };
        var outputs = new Option<bool>("--outputs") { Description = "Also write each scene's merged HDR." };
        var previews = new Option<bool>("--previews") { Description = "Also write μ-law tonemapped PNG previews." };
        var cmd = new Command("eval", "Score a network or the classical merge on a Kalantari-layout folder: per-scene and mean PSNR-μ/L, SSIM-μ/L.");
        foreach (var o in new Option[] { data, model, weights, classical, output, outputs, previews }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliRunner.Guard(() =>
        {
            var folder = parse.GetValue(data)!;
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"--data folder not found: {folder}");
            bool isClassical = parse.GetValue(classical);
            var name = parse.GetValue(model);
            if (isClassical == (name != null)) throw new UserInputException("give either --model NAME --weights FILE or --classical");
            if (name != null)
            {
                if (!ModelRegistry.Contains(name)) throw new UserInputException($"unknown model '{name}'; known: {string.Join(", ", ModelRegistry.All.Select(e => e.Name).Order())}");
                var w = parse.GetValue(weights) ?? throw new UserInputException("--model needs --weights");
                if (!File.Exists(w)) throw new FileNotFoundException($"--weights file not found: {w}");
            }
            if (!isClassical)
                // TODO: network path — build [1,N,6,H,W] input per scene (Exposure network input), load --weights by
                // state-dict name, run TiledInference, then score exactly as below.
                throw new NotSupportedException("hdrkit eval --model is not wired yet in this build; --classical works");
            var outFolder = parse.GetValue(output) ?? "eval-classical";
            var report = new EvaluationReport("classical", ["psnr_mu", "psnr_l", "ssim_mu", "ssim_l"]);
            var merger = new ClassicalMerger();
            foreach (var sceneFolder in KalantariScene.FindScenes(folder))
            {
                var scene = KalantariScene.Read(sceneFolder, readExtras: false);
                var merged = merger.Merge(scene.ToBracket());
                var m = HdrEvaluation.Evaluate(merged.Radiance, scene.GroundTruth);
                report.Add(scene.Name, new Dictionary<string, double> { ["psnr_mu"] = m.PsnrMu, ["psnr_l"] = m.PsnrL, ["ssim_mu"] = m.SsimMu, ["ssim_l"] = m.SsimL });
                Console.WriteLine($"{scene.Name}: PSNR-μ {m.PsnrMu:F2} dB, PSNR-L {m.PsnrL:F2} dB, SSIM-μ {m.SsimMu:F4}, SSIM-L {m.SsimL:F4}");
            }
            if (parse.GetValue(outputs) || parse.GetValue(previews))
                Console.Error.WriteLine("hdrkit: note: --outputs/--previews are not implemented yet; only the report is written");
            var (md, csv) = report.Save(outFolder);
            Console.Write(report.ToMarkdown(2));
            Console.WriteLine($"wrote {md} and {csv}");
            return 0;
        }));
        return cmd;
    }
}
