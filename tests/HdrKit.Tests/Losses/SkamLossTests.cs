using HdrKit.Losses;
using HdrKit.Models.Auxiliary;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Losses;

public sealed class SkamLossTests
{
    [Fact]
    public void WeightedMseMatchesAHandComputation()
    {
        var a = torch.tensor(new[] { 1f, 2f, 3f, 4f }, [1, 1, 2, 2]);
        var b = torch.zeros(1, 1, 2, 2);
        Assert.Equal(7.5f, SkamLoss.Mse(a, b, null).item<float>());                                                // (1+4+9+16)/4
        Assert.Equal(8.5f, SkamLoss.Mse(a, b, torch.tensor(new[] { 1f, 0f, 0f, 1f }, [1, 1, 2, 2])).item<float>(), 6); // (1+16)/2
        Assert.Equal(22f / 3, SkamLoss.Mse(a, b, torch.tensor(new[] { 0f, 1f, 2f, 0f }, [1, 1, 2, 2])).item<float>(), 5); // (1·4 + 2·9)/3
    }

    [Fact]
    public void IsZeroUnderAnAllZeroWeightWithFiniteGradients()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(61);
        using var skam = new Skam(4, 6, 5);
        var student = torch.randn([1, 4, 8, 8], generator: g).requires_grad_();
        var teacher = torch.randn([1, 6, 8, 8], generator: g);
        var loss = new SkamLoss().Compute(skam, student, teacher, g, torch.zeros(1, 1, 8, 8));
        loss.backward();
        Assert.Equal(0f, loss.item<float>());
        Assert.True(torch.isfinite(student.grad!).all().item<bool>());
    }

    [Fact]
    public void IsTheMseOfTheEnhancedFeatureToTheDetachedTeacher()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(62);
        using var skam = new Skam(4, 6, 5);
        var student = torch.randn([2, 4, 4, 4], generator: g).requires_grad_();
        var teacher = torch.randn([2, 6, 8, 8], generator: g).requires_grad_();
        var mask = skam.RandomMask(2, 8, 8, 0.5, g);
        var loss = new SkamLoss().Compute(skam, student, teacher, mask);
        double expected;
        using (torch.no_grad()) expected = (skam.forward(student, teacher, mask) - teacher).square().mean().item<float>();
        Assert.Equal(expected, loss.item<float>(), 5);

        loss.backward();
        Assert.Null(teacher.grad);
        Assert.True(student.grad!.abs().sum().item<float>() > 0, "the ORM feature is not trained");
        foreach (var (name, p) in skam.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
    }

    [Fact]
    public void RandomMasksFollowTheGenerator()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(63);
        using var skam = new Skam(4, 6, 5);
        var student = torch.randn([1, 4, 8, 8], generator: g);
        var teacher = torch.randn([1, 6, 8, 8], generator: g);
        var loss = new SkamLoss(0.75);
        float a = loss.Compute(skam, student, teacher, new Generator(7)).item<float>();
        float b = loss.Compute(skam, student, teacher, new Generator(7)).item<float>();
        float c = loss.Compute(skam, student, teacher, new Generator(8)).item<float>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Throws<ArgumentException>(() => new SkamLoss(1.5));
    }
}
