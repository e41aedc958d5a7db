using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// The semi-supervised method's judge (reference-notes §5, its Fig. 3): three 3×3 convolutions with a skip
/// addition on the backbone's attention-fused features (the "fused" feature tap), predicting a per-pixel
/// log σ² of the backbone's prediction. The prediction, μ-law tonemapped by the caller (Models stays below
/// Exposure in the layering), is concatenated to the features by default, so the judge sees what it is judging. Features at a coarser scale are resized (bilinear) to the
/// prediction's size. The output is bounded softly to ±<see cref="LogVarianceBound"/> so σ never
/// under- or overflows in the loss.
/// </summary>
public sealed class JudgeNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    public const double LogVarianceBound = 10;

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly bool withPrediction;

    /// <param name="featureChannels">Channels of the backbone's fused features.</param>
    /// <param name="hidden">Width of the first two convolutions.</param>
    /// <param name="withPrediction">Also feed the μ-law prediction (3 channels).</param>
    public JudgeNetwork(int featureChannels, int hidden = 32, bool withPrediction = true) : base(nameof(JudgeNetwork))
    {
        this.withPrediction = withPrediction;
        int input = featureChannels + (withPrediction ? 3 : 0);
        conv1 = nn.Conv2d(input, hidden, 3, padding: 1);
        conv2 = nn.Conv2d(hidden, hidden, 3, padding: 1);
        conv3 = nn.Conv2d(hidden, 1, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>Features [B, C, h, w] and the μ-law prediction [B, 3, H, W] → log σ² [B, 1, H, W].</summary>
    public override Tensor forward(Tensor features, Tensor muLawPrediction)
    {
        using var scope = NewDisposeScope();
        long h = muLawPrediction.shape[2], w = muLawPrediction.shape[3];
        var f = features.shape[2] == h && features.shape[3] == w
            ? features
            : nn.functional.interpolate(features, new long[] { h, w }, mode: InterpolationMode.Bilinear, align_corners: false);
        var x = withPrediction ? cat([f, muLawPrediction], 1) : f;
        var first = Blocks.LeakyRelu.Apply(conv1.forward(x), 0.2);
        var second = Blocks.LeakyRelu.Apply(conv2.forward(first), 0.2) + first;
        var raw = conv3.forward(second);
        return (Scalars.Of(LogVarianceBound) * tanh(raw / Scalars.Of(LogVarianceBound))).MoveToOuterDisposeScope();
    }

    /// <summary>σ = exp(½ log σ²), the uncertainty map the pseudo-label masks threshold.</summary>
    public static Tensor Sigma(Tensor logVariance) => exp(logVariance * Scalars.Of(0.5));
}
