using HdrKit.Losses;
using HdrKit.Tests.Training;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

/// <summary>
/// The C# port against activations computed by Fixtures/vgg/make_vgg_fixture.py: numpy, Keras's HWIO layout,
/// channels-last convolution, its own Caffe preprocessing — sharing nothing with this code but the shards.
/// </summary>
public sealed class Vgg19FeaturesTests
{
    private static Vgg19Weights SharedWeights() => Vgg19Weights.FromTfjs(TestData.SharedOrSkip("models", "vgg19-keras-block1-3"));

    [Fact]
    public void ActivationsMatchAnIndependentNumpyComputation()
    {
        using var weights = SharedWeights();
        var fixture = SafeTensors.Load(TestData.Fixture("vgg", "vgg19_activations.safetensors"));
        using var vgg = new Vgg19Features(weights, ["relu2_1"]);

        // Float64 isolates porting errors (layout, padding, preprocessing) from float32 rounding.
        vgg.to(ScalarType.Float64);
        var out64 = vgg.Extract(fixture["input"].to(ScalarType.Float64), ["conv1_1", "relu2_1"]);
        foreach (var layer in new[] { "conv1_1", "relu2_1" })
        {
            double maxDiff = (out64[layer] - fixture[layer].to(ScalarType.Float64)).abs().max().item<double>();
            Assert.True(maxDiff <= 1e-4, $"{layer}: max |diff| {maxDiff}");
        }

        // Float32 as training runs it: activations reach ~1600, so compare relative to each layer's peak.
        vgg.to(ScalarType.Float32);
        var out32 = vgg.Extract(fixture["input"], ["conv1_1", "relu2_1"]);
        foreach (var layer in new[] { "conv1_1", "relu2_1" })
        {
            var expected = fixture[layer];
            double rel = ((out32[layer] - expected).abs().max() / expected.abs().max()).item<float>();
            Assert.True(rel <= 1e-5, $"{layer}: max |diff| / peak = {rel}");
        }
    }

    [Fact]
    public void LayersBeyondTheSharedWeightsFailClearly()
    {
        using var weights = SharedWeights();
        Assert.Equal("conv3_4", weights.AvailableConvs[^1]);
        var e = Assert.Throws<ArgumentException>(() => new Vgg19Features(weights, ["relu1_1", "relu4_1"]));
        Assert.Contains("conv4_1", e.Message);
        Assert.Contains("full VGG19", e.Message);
        Assert.Throws<ArgumentException>(() => new Vgg19Features(weights, ["relu9_1"]));
    }

    [Fact]
    public void TorchvisionNamedSafetensorsLoadToo()
    {
        using var keras = SharedWeights();
        using var dir = new TestData.TempDir();
        var path = dir.File("vgg.safetensors");
        SafeTensors.Save(path, keras.Tensors.ToDictionary(kv => "vgg19." + kv.Key, kv => kv.Value), new Dictionary<string, string> { ["input_norm"] = "caffe" });

        using var reloaded = Vgg19Weights.Load(path);
        Assert.Equal(VggInputNorm.Caffe, reloaded.InputNorm);
        Assert.Equal(keras.AvailableConvs, reloaded.AvailableConvs);
        var x = torch.rand(1, 3, 8, 8);
        using var a = new Vgg19Features(keras, ["relu2_2"]);
        using var b = new Vgg19Features(reloaded, ["relu2_2"]);
        Assert.True(a.forward(x).SameAs(b.forward(x)));
    }

    [Fact]
    public void PerceptualLossIsZeroForEqualImagesAndTrainsThePrediction()
    {
        using var weights = SharedWeights();
        using var loss = new VggPerceptualLoss(weights, ["relu1_1", "relu2_1"]);
        var gt = torch.rand(1, 3, 16, 16) * Scalars.Of(0.5);
        Assert.Equal(0f, loss.Compute(new LossInputs(gt, gt)).item<float>());

        var pred = (gt + Scalars.Of(0.05) * torch.rand(1, 3, 16, 16)).requires_grad_();
        var value = loss.Compute(new LossInputs(pred, gt, torch.ones(1, 1, 16, 16)));
        value.backward();
        Assert.True(value.item<float>() > 0);
        Assert.True(pred.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void CaffeWeightLossIsBroughtToTorchvisionScale()
    {
        using var weights = SharedWeights();
        using var loss = new VggPerceptualLoss(weights, ["relu1_1"], mu: 5000f);
        using var vgg = new Vgg19Features(weights, ["relu1_1"]);
        var gt = torch.rand(1, 3, 8, 8) * Scalars.Of(0.3);
        var pred = torch.rand(1, 3, 8, 8) * Scalars.Of(0.3);
        var mu = (Tensor x) => torch.log1p(x * Scalars.Of(5000)) / Scalars.Of(Math.Log(5001));
        double raw = (vgg.Extract(mu(pred), ["relu1_1"])["relu1_1"] - vgg.Extract(mu(gt), ["relu1_1"])["relu1_1"]).abs().mean().item<float>();
        double scaled = loss.Compute(new LossInputs(pred, gt)).item<float>();
        Assert.Equal(raw / (255 * 0.226), scaled, 1e-4 * raw / 57.63);
    }
}
