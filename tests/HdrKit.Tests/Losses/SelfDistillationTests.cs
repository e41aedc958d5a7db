using HdrKit.Exposure;
using HdrKit.Losses;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

public sealed class SelfDistillationTests
{
    [Fact]
    public void ContentPixelTermIsTheL1BetweenTonemappedOrmAndRefinedOutputs()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(71);
        var hin = (torch.rand([1, 3, 4, 4], generator: g) * Scalars.Of(0.8) + Scalars.Of(0.01)).requires_grad_();
        var refined = torch.rand([1, 3, 4, 4], generator: g).requires_grad_();
        using var content = SelfDistillation.ContentLoss(vgg: null);
        var r = content.Compute(new LossInputs(hin, SelfDistillation.TeacherTarget(refined)));
        double expected;
        using (torch.no_grad()) expected = (MuLaw.Apply(hin) - refined).abs().mean().item<float>();
        Assert.Equal(expected, r.Total.item<float>(), 5);
        r.Total.backward();
        Assert.True(hin.grad!.abs().sum().item<float>() > 0);
        Assert.Null(refined.grad);
    }

    [Fact]
    public void RefinerLossIsTheL1ToTheTonemappedGroundTruth()
    {
        var refined = torch.tensor(new[] { 0.5f, 0.2f }, [1, 2, 1, 1]);
        var gt = torch.tensor(new[] { 0.01f, 0.0f }, [1, 2, 1, 1]);
        float expected = (Math.Abs(0.5f - MuLaw.Apply(0.01f)) + 0.2f) / 2;
        Assert.Equal(expected, SelfDistillation.RefinerLoss(refined, gt).item<float>(), 5);
    }

    [Fact]
    public void ContentLossAddsTheWeightedPerceptualTerm()
    {
        using var weights = Vgg19Weights.FromTfjs(TestData.SharedOrSkip("models", "vgg19-keras-block1-3"));
        using var scope = torch.NewDisposeScope();
        var g = new Generator(72);
        var hin = torch.rand([1, 3, 16, 16], generator: g) * Scalars.Of(0.5);
        var refined = torch.rand([1, 3, 16, 16], generator: g);
        using var content = SelfDistillation.ContentLoss(weights);
        var r = content.Compute(new LossInputs(hin, SelfDistillation.TeacherTarget(refined)));
        Assert.True(r.Terms["vgg"].item<float>() > 0);
        Assert.Equal(r.Terms["mu_l1"].item<float>() + 0.01f * r.Terms["vgg"].item<float>(), r.Total.item<float>(), 5);
        // Identical outputs: both terms vanish (up to μ-law round trip rounding).
        var same = content.Compute(new LossInputs(hin, SelfDistillation.TeacherTarget(MuLaw.Apply(hin))));
        Assert.True(same.Total.item<float>() < 1e-4, $"loss {same.Total.item<float>()} for identical outputs");
    }
}
