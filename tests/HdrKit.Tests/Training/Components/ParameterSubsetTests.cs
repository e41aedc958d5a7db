using HdrKit.Models;
using HdrKit.Training.Components;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Components;

public class ParameterSubsetTests(ITestOutputHelper output)
{
    [Fact]
    public void SmNet_exposure_dependent_share_is_the_papers_fine_tuning_budget()
    {
        using var net = ModelRegistry.Create("smnet");
        var names = ParameterSubset.Names(net, SmNet.ExposureDependentPrefixes);
        Assert.Equal(6, names.Count); // conv_first: three convs, weight + bias
        Assert.All(names, n => Assert.StartsWith("conv_first.", n));
        double fraction = ParameterSubset.Fraction(net, SmNet.ExposureDependentPrefixes);
        output.WriteLine($"smnet trainable fraction for a new exposure count: {fraction:P2}");
        Assert.Equal(68_220.0 / 1_292_499, fraction, 12);
        Assert.InRange(fraction, 0.055 - 0.005, 0.055 + 0.005); // the paper's 5.5 %
    }

    [Fact]
    public void Fine_tuning_to_a_new_count_updates_only_conv_first()
    {
        manual_seed(6);
        using var net = ModelRegistry.Create("smnet-small");
        output.WriteLine($"smnet-small trainable fraction: {ParameterSubset.Fraction(net, SmNet.ExposureDependentPrefixes):P2}");
        ParameterSubset.TrainOnly(net, SmNet.ExposureDependentPrefixes);
        var before = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        net.train();
        using var optimizer = optim.SGD(net.parameters().Where(p => p.requires_grad), 0.1);
        using var x = rand([1, 5, 6, 8, 8]);
        using var target = rand(1, 3, 8, 8);
        using var loss = (net.forward(x) - target).abs().mean();
        loss.backward();
        optimizer.step();
        foreach (var (name, p) in net.named_parameters())
        {
            bool changed = TensorAssert.MaxAbsDiff(before[name], p) > 0;
            Assert.True(changed == name.StartsWith("conv_first.", StringComparison.Ordinal), $"{name}: changed = {changed}");
        }
        foreach (var t in before.Values) t.Dispose();
    }
}
