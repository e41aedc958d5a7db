using HdrKit.Exposure;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// Perceptual loss: Σ over layers of the (weighted) L1 between VGG19 activations of the μ-law tonemapped
/// prediction and target, as HDR-Transformer (relu1_2…), SMHDR (relu1_1…relu5_1) and the knowledge-transfer
/// content loss use it. A pixel weight is average-pooled to each layer's resolution, so masks and segment
/// weights act on features too.
/// </summary>
public sealed class VggPerceptualLoss : ILossTerm
{
    private readonly Vgg19Features _vgg;
    private readonly string[] _layers;
    private readonly float _mu;
    private readonly double _featureScale;

    /// <summary>
    /// Caffe-style weights see inputs on a 0–255 scale, torchvision ones on ≈ (x − mean) / 0.226, so Caffe
    /// activations (and their L1) are ≈ 255·0.226 ≈ 58× larger. Dividing by that keeps the references' loss
    /// weights (0.01, 0.005, tuned on torchvision VGG) meaningful with either weight file; approximate,
    /// since biases make the trunk not exactly scale-equivariant.
    /// </summary>
    public const double CaffeToTorchvisionScale = 255.0 * 0.226;

    public VggPerceptualLoss(Vgg19Weights weights, IReadOnlyList<string> layers, float mu = MuLaw.Mu)
    {
        _layers = layers.Select(l => l.Trim().ToLowerInvariant()).ToArray();
        _vgg = new Vgg19Features(weights, _layers);
        _mu = mu;
        _featureScale = weights.InputNorm == VggInputNorm.Caffe ? 1.0 / CaffeToTorchvisionScale : 1.0;
    }

    public string Name => "vgg";

    public IReadOnlyList<string> LayerNames => _layers;

    /// <summary>Moves the frozen trunk next to the network it supervises.</summary>
    public VggPerceptualLoss To(Device device)
    {
        _vgg.to(device);
        return this;
    }

    public Tensor Compute(LossInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        var pred = _vgg.Extract(MuLaw.Apply(inputs.Prediction, _mu), _layers);
        Dictionary<string, Tensor> target;
        using (torch.no_grad())
            target = _vgg.Extract(MuLaw.Apply(inputs.Target, _mu), _layers).ToDictionary(kv => kv.Key, kv => kv.Value);
        Tensor? total = null;
        foreach (var layer in _layers)
        {
            var p = pred[layer];
            Tensor? w = null;
            if (inputs.PixelWeight is { } pw)
            {
                WeightedL1.CheckWeight(pw, inputs.Prediction);
                var w1 = pw.shape[1] == 1 ? pw : pw.mean([1], keepdim: true);
                w = w1.shape[2] == p.shape[2] && w1.shape[3] == p.shape[3]
                    ? w1 : nn.functional.adaptive_avg_pool2d(w1, new long[] { p.shape[2], p.shape[3] });
            }
            var term = WeightedL1.Mean(p, target[layer], w) * Scalars.Of(_featureScale);
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    public void Dispose() => _vgg.Dispose();
}
