using System.Text.Json.Nodes;
using HdrKit.Util;
using ScottPlot;

namespace HdrKit.Training;

/// <summary>Renders metrics.jsonl as loss.png (per-step loss and its running mean) and validation.png (PSNR-μ/L per validation).</summary>
public static class TrainingPlots
{
    public static IReadOnlyList<string> Render(string metricsPath, string folder)
    {
        var records = MetricsLog.Read(metricsPath).ToList();
        var written = new List<string>();
        var train = records.Where(r => (string?)r["kind"] == "train" && r["loss"] is not null).ToList();
        if (train.Count > 0)
        {
            double[] steps = train.Select(r => (double)r["step"]!).ToArray();
            double[] loss = train.Select(r => (double)r["loss"]!).ToArray();
            var plot = new Plot();
            var raw = plot.Add.Scatter(steps, loss);
            raw.MarkerSize = 0; raw.LineWidth = 1; raw.LegendText = "loss"; raw.Color = Colors.Gray.WithAlpha(0.6);
            var smooth = plot.Add.Scatter(steps, RunningMean(loss, Math.Max(1, loss.Length / 50)));
            smooth.MarkerSize = 0; smooth.LineWidth = 2; smooth.LegendText = "running mean"; smooth.Color = Colors.Blue;
            plot.Title("training loss"); plot.XLabel("step"); plot.YLabel("loss");
            plot.ShowLegend();
            written.Add(Save(plot, Path.Combine(folder, "loss.png")));
        }
        var val = records.Where(r => (string?)r["kind"] == "val").ToList();
        if (val.Count > 0)
        {
            var plot = new Plot();
            double[] steps = val.Select(r => (double)r["step"]!).ToArray();
            foreach (var key in new[] { "psnr_mu", "psnr_l" })
            {
                var ys = val.Select(r => r[key] is JsonNode n ? (double)n : double.NaN).ToArray();
                if (ys.All(double.IsNaN)) continue;
                var s = plot.Add.Scatter(steps, ys);
                s.LegendText = key == "psnr_mu" ? "PSNR-μ" : "PSNR-L"; s.MarkerSize = 6;
            }
            plot.Title("validation"); plot.XLabel("step"); plot.YLabel("dB");
            plot.ShowLegend();
            written.Add(Save(plot, Path.Combine(folder, "validation.png")));
        }
        return written;
    }

    private static double[] RunningMean(double[] v, int window)
    {
        var r = new double[v.Length];
        double sum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            sum += v[i];
            if (i >= window) sum -= v[i - window];
            r[i] = sum / Math.Min(i + 1, window);
        }
        return r;
    }

    private static string Save(Plot plot, string path)
    {
        AtomicFile.WriteVia(path, temp => plot.SavePng(temp, 900, 500));
        return path;
    }
}
