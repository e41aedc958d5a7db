using HdrKit.Imaging;
using HdrKit.Metrics;
using HdrKit.Tests.Classical;
using TorchSharp;

namespace HdrKit.Tests.Metrics;

public class SceneEvaluatorTests
{
    [Fact]
    public void ScoresEachSceneIntoTheReportAndTheMean()
    {
        var truth = new[] { Scenes.Radiance(24, 16, seed: 1), Scenes.Radiance(24, 16, seed: 2) };
        truth = truth.Select(t => t.Clone().ScaleInPlace(1f / t.Data.Max())).ToArray();
        var predictions = truth.Select((t, i) => t.Clone().ScaleInPlace(1f - 0.1f * (i + 1))).ToArray();
        var expected = predictions.Select((p, i) => HdrEvaluation.Evaluate(p, truth[i])).ToArray();

        var evaluator = SceneEvaluator.Run("test", 2, (i, e) => e.Score($"s{i}", predictions[i], truth[i]));

        Assert.Equal(new[] { "s0", "s1" }, evaluator.Scenes.Select(s => s.Scene));
        Assert.Equal(expected, evaluator.Scenes.Select(s => s.Metrics));
        Assert.True(expected[0].PsnrL > expected[1].PsnrL, "the closer prediction scores higher");
        Assert.Equal(HdrMetrics.Mean(expected), evaluator.Mean);
        Assert.Equal(SceneEvaluator.Columns, evaluator.Report.Metrics);
        Assert.Equal(expected[1].SsimMu, evaluator.Report.Rows[1].Values["ssim_mu"]);
        Assert.Equal((expected[0].PsnrMu + expected[1].PsnrMu) / 2, evaluator.Report.Means()["psnr_mu"], 12);
    }

    [Fact]
    public void TensorAndImageScoresAgree()
    {
        var truth = Scenes.Radiance(24, 16);
        truth.ScaleInPlace(1f / truth.Data.Max());
        var prediction = truth.Clone().ScaleInPlace(0.8f);
        var evaluator = SceneEvaluator.Run("test", 1, (_, e) =>
        {
            var fromImages = e.Score("image", prediction, truth);
            var fromTensors = e.Score("tensor", prediction.ToTensor().unsqueeze(0), truth.ToTensor().unsqueeze(0));
            Assert.Equal(fromImages.PsnrMu, fromTensors.PsnrMu, 3);
            Assert.Equal(fromImages.SsimL, fromTensors.SsimL, 4);
        });
        Assert.Equal(2, evaluator.Scenes.Count);
    }
}
