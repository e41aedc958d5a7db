using System.CommandLine;
using System.Globalization;
using HdrKit.Classical;
using HdrKit.Data;
using HdrKit.Metrics;

namespace HdrKit.Cli.Commands;

/// <summary>
/// `hdrkit eval-classical DIR`: the classical merge (MTB + Debevec with deghosting, γ 2.2) on every scene folder of a
/// Kalantari-layout dataset, scored against HDRImg.hdr with PSNR-μ/L and SSIM-μ/L; the baseline row of the results.
/// </summary>
public static class EvalClassicalCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "folder of Kalantari-layout scene folders (e.g. from `hdrkit simulate --preset validation`)" };
        var noDeghost = new Option<bool>("--no-deghost") { Description = "plain Debevec merge without ghost rejection" };
        var noAlign = new Option<bool>("--no-align") { Description = "skip MTB alignment" };
        var cmd = new Command("eval-classical", "Score the classical merge on a Kalantari-layout dataset (PSNR-μ/L, SSIM-μ/L per scene and mean).")
        {
            dataset, noDeghost, noAlign,
        };
        cmd.SetAction(r => CliRunner.Guard(() =>
        {
            var merger = new ClassicalMerger(new ClassicalMergeOptions(Align: !r.GetValue(noAlign), Deghost: !r.GetValue(noDeghost)));
            var scores = new List<HdrMetrics>();
            Console.WriteLine("| scene | PSNR-μ | PSNR-L | SSIM-μ | SSIM-L |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var folder in KalantariScene.FindScenes(r.GetValue(dataset)!))
            {
                var scene = KalantariScene.Read(folder, readExtras: false);
                var merged = merger.Merge(scene.ToBracket()).Radiance;
                var m = HdrEvaluation.Evaluate(merged, scene.GroundTruth);
                scores.Add(m);
                Console.WriteLine(Row(scene.Name, m));
            }
            Console.WriteLine(Row($"**mean of {scores.Count}**", HdrMetrics.Mean(scores)));
            return 0;
        }));
        return cmd;
    }

    private static string Row(string name, HdrMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {m.PsnrMu:F2} | {m.PsnrL:F2} | {m.SsimMu:F4} | {m.SsimL:F4} |");
}
