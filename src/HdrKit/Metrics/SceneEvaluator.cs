using HdrKit.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Metrics;

/// <summary>
/// Scores whole scenes and collects them into an <see cref="EvaluationReport"/>: the one scoring loop behind
/// `hdrkit eval` and the trainer's validation, so both report the same metrics under the same names. Each scene
/// is produced and scored inside its own dispose scope, so only one scene's tensors are alive at a time.
/// </summary>
public sealed class SceneEvaluator
{
    /// <summary>Report columns, in the order eval.csv and the training log use.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["psnr_mu", "psnr_l", "ssim_mu", "ssim_l"];

    private readonly List<(string Scene, HdrMetrics Metrics)> _scenes = [];

    public SceneEvaluator(string method) => Report = new EvaluationReport(method, Columns);

    public EvaluationReport Report { get; }

    public IReadOnlyList<(string Scene, HdrMetrics Metrics)> Scenes => _scenes;

    /// <summary>Mean of each metric over the scored scenes, as the papers average.</summary>
    public HdrMetrics Mean => HdrMetrics.Mean(_scenes.Select(s => s.Metrics));

    /// <summary>Runs <paramref name="scoreScene"/> for scenes 0…count−1, each in its own dispose scope.</summary>
    public static SceneEvaluator Run(string method, int count, Action<int, SceneEvaluator> scoreScene)
    {
        var evaluator = new SceneEvaluator(method);
        for (int i = 0; i < count; i++)
        {
            using var scope = torch.NewDisposeScope();
            scoreScene(i, evaluator);
        }
        return evaluator;
    }

    /// <summary>Scores a prediction against the ground truth (linear HDR images) and records it.</summary>
    public HdrMetrics Score(string scene, FloatImage prediction, FloatImage groundTruth) => Add(scene, HdrEvaluation.Evaluate(prediction, groundTruth));

    /// <summary>Scores a [1, 3, H, W] prediction against its target on their device and records it.</summary>
    public HdrMetrics Score(string scene, Tensor prediction, Tensor groundTruth) => Add(scene, HdrEvaluation.Evaluate(prediction, groundTruth)[0]);

    /// <summary>The metrics by <see cref="Columns"/> name.</summary>
    public static Dictionary<string, double> Values(HdrMetrics m) =>
        new() { ["psnr_mu"] = m.PsnrMu, ["psnr_l"] = m.PsnrL, ["ssim_mu"] = m.SsimMu, ["ssim_l"] = m.SsimL };

    private HdrMetrics Add(string scene, HdrMetrics metrics)
    {
        Report.Add(scene, Values(metrics));
        _scenes.Add((scene, metrics));
        return metrics;
    }
}
