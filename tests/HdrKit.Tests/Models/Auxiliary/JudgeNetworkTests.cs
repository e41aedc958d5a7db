using HdrKit.Models;
using HdrKit.Models.Auxiliary;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

public class JudgeNetworkTests
{
    [Fact]
    public void Predicts_a_bounded_log_variance_per_pixel_at_the_prediction_size()
    {
        manual_seed(1);
        using var judge = new JudgeNetwork(featureChannels: 8, hidden: 8);
        using var features = randn([2, 8, 8, 8]);
        using var prediction = rand([2, 3, 16, 16]);
        using var logVar = judge.forward(features, prediction);
        Assert.Equal(new long[] { 2, 1, 16, 16 }, logVar.shape);
        Assert.True(logVar.isfinite().all().item<bool>());
        using var huge = features * Scalars.Of(1e6);
        using var extreme = judge.forward(huge, prediction);
        Assert.True(extreme.abs().max().item<float>() <= JudgeNetwork.LogVarianceBound);
        using var sigma = JudgeNetwork.Sigma(logVar);
        Assert.True(sigma.min().item<float>() > 0);
    }

    [Fact]
    public void Gradients_reach_every_layer_and_the_backbone_features()
    {
        manual_seed(2);
        using var judge = new JudgeNetwork(featureChannels: 4, hidden: 8);
        using var features = randn([1, 4, 8, 8]).requires_grad_();
        using var prediction = rand([1, 3, 8, 8]).requires_grad_();
        using var loss = judge.forward(features, prediction).square().mean();
        loss.backward();
        foreach (var (name, p) in judge.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"no gradient for {name}");
        Assert.True(features.grad!.abs().sum().item<float>() > 0);
        Assert.True(prediction.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Runs_on_a_zoo_models_fused_features()
    {
        manual_seed(3);
        using var net = ModelRegistry.Create("hdr-transformer-small");
        var fused = net.FeatureInfo.Single(f => f.Name == "fused");
        using var judge = new JudgeNetwork(fused.Channels);
        net.eval();
        using var noGrad = no_grad();
        using var x = rand([1, 3, 6, 16, 16]);
        var forward = net.ForwardWithFeatures(x);
        using var logVar = judge.forward(forward.Features["fused"], forward.Output);
        Assert.Equal(new long[] { 1, 1, 16, 16 }, logVar.shape);
        forward.Output.Dispose();
        foreach (var f in forward.Features.Values) f.Dispose();
    }
}
