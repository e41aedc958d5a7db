using HdrKit.Models.Auxiliary;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

public sealed class SpgrmTests
{
    private static readonly int[] Strides = [2, 4, 8, 16];
    private static readonly SpgrmConfig Tiny = new(Width: 8, Heads: 2, PriorChannels: [4, 6, 8, 10]);

    /// <summary>SKB-shaped priors for an H×W image: [B, C_i, ⌈H/s⌉, ⌈W/s⌉].</summary>
    private static Tensor[] Priors(long b, long h, long w, IReadOnlyList<int> channels, Generator g) =>
        channels.Select((c, i) => torch.randn([b, c, (h + Strides[i] - 1) / Strides[i], (w + Strides[i] - 1) / Strides[i]], generator: g)).ToArray();

    [Theory]
    [InlineData(16, 16)]
    [InlineData(24, 40)]
    [InlineData(17, 23)]
    public void OutputsTheImageShapeAndOneFullResolutionFeaturePerModule(int h, int w)
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(1);
        using var spgrm = new Spgrm(Tiny);
        var image = torch.rand([2, 3, h, w], generator: g);
        var r = spgrm.forward(image, Priors(2, h, w, Tiny.Priors, g));
        Assert.Equal(new long[] { 2, 3, h, w }, r.Output.shape);
        Assert.Equal(3, r.Features.Count);
        foreach (var f in r.Features) Assert.Equal(new long[] { 2, 8, h, w }, f.shape);
        Assert.Equal(["fusion0", "fusion1", "fusion2"], spgrm.FeatureInfo.Select(f => f.Name));
        Assert.True(torch.isfinite(r.Output).all().item<bool>());
    }

    [Fact]
    public void TrainsEveryParameterAndTheOrmButNotTheFrozenBank()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(2);
        using var spgrm = new Spgrm(Tiny);
        // A stand-in bank with parameters, run on the ORM's result as in the paper (priors of T(H_in)).
        var bank = Strides.Select((s, i) => nn.Conv2d(3, Tiny.Priors[i], s, stride: s)).ToArray();
        var ormOutput = torch.rand([1, 3, 32, 32], generator: g).requires_grad_();
        var priors = bank.Select(conv => conv.forward(ormOutput)).ToArray();
        var gt = torch.rand([1, 3, 32, 32], generator: g);
        var r = spgrm.forward(ormOutput, priors);
        (r.Output - gt).abs().mean().backward();

        foreach (var (name, p) in spgrm.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name} received no gradient");
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name}'s gradient is zero");
        }
        foreach (var conv in bank)
            foreach (var p in conv.parameters()) Assert.True(p.grad is null, "gradient reached the frozen bank");
        Assert.True(ormOutput.grad is not null && ormOutput.grad.abs().sum().item<float>() > 0, "no gradient reached the ORM's output");
    }

    [Fact]
    public void WithoutPriorsItIsAPlainSecondStage()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(3);
        using var plain = new Spgrm(Tiny with { UsePriors = false });
        using var full = new Spgrm(Tiny);
        Assert.DoesNotContain(plain.named_parameters(), p => p.name.StartsWith("fpn") || p.name.Contains("fusion.fusion"));
        Assert.True(plain.ParameterCount() < full.ParameterCount());
        var image = torch.rand([1, 3, 12, 20], generator: g);
        Assert.Equal(image.shape, plain.forward(image, null).Output.shape);
        Assert.Throws<ArgumentException>(() => full.forward(image, null));
    }

    [Fact]
    public void RejectsPriorsThatDoNotFitTheConfig()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(4);
        using var spgrm = new Spgrm(Tiny);
        var image = torch.rand([1, 3, 16, 16], generator: g);
        var priors = Priors(1, 16, 16, Tiny.Priors, g);
        Assert.Throws<ArgumentException>(() => spgrm.forward(image, priors.Take(3).ToArray()));
        Assert.Throws<ArgumentException>(() => spgrm.forward(image, Priors(2, 16, 16, Tiny.Priors, g)));
        Assert.Throws<ArgumentException>(() => new Spgrm(Tiny with { Width = 9 }));
    }

    [Fact]
    public void PriorsChangeTheRefinement()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(5);
        using var spgrm = new Spgrm(Tiny);
        var image = torch.rand([1, 3, 16, 16], generator: g);
        using var _ = torch.no_grad();
        var a = spgrm.forward(image, Priors(1, 16, 16, Tiny.Priors, g)).Output;
        var b = spgrm.forward(image, Priors(1, 16, 16, Tiny.Priors, g)).Output;
        Assert.True(TensorAssert.MaxAbsDiff(a, b) > 1e-4, "the output ignores the semantic priors");
    }

    [Theory]
    [InlineData(1, new[] { 2 })]
    [InlineData(2, new[] { 0, 2 })]
    [InlineData(3, new[] { 0, 1, 2 })]
    [InlineData(5, new[] { 0, 1, 1, 2, 2 })]
    public void OrmTapsSpreadOverTheFusionModules(int taps, int[] stages)
    {
        var config = new SpgrmConfig();
        Assert.Equal(stages, Enumerable.Range(0, taps).Select(t => config.StageForTap(t, taps)));
        Assert.Throws<ArgumentException>(() => config.StageForTap(taps, taps));
    }
}
