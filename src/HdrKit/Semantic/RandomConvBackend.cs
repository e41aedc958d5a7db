using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Semantic;

/// <summary>
/// A frozen stand-in for a semantic network: one strided convolution per level (kernel = stride = 2, 4, 8, 16)
/// with weights drawn from its own seeded generator. It carries no semantics; it exists so recipes that consult a
/// knowledge bank can be built and tested without the shared DeepLab weights, with features of the real shapes.
/// </summary>
public sealed class RandomConvBackend : ISemanticBackend
{
    private static readonly int[] Strides = [2, 4, 8, 16];
    private readonly Conv2d[] _levels;

    public string Id { get; }
    public IReadOnlyList<FeatureInfo> FeatureInfo { get; }
    public IReadOnlyList<string>? ClassNames => null;

    /// <param name="channels">Channels of the four levels (default: DeepLabV3-MNV2's 48, 72, 160, 256).</param>
    public RandomConvBackend(IReadOnlyList<int>? channels = null, long seed = 1)
    {
        var c = channels ?? [48, 72, 160, 256];
        if (c.Count != Strides.Length || c.Any(x => x < 1)) throw new ArgumentException($"a bank has four levels of ≥ 1 channels, got [{string.Join(", ", c)}]");
        var generator = new Generator((ulong)seed);
        _levels = Strides.Select((s, i) =>
        {
            var conv = nn.Conv2d(3, c[i], s, stride: s);
            using (torch.no_grad())
            {
                // Unit-variance responses for [0,1] inputs, whatever the level's fan-in.
                conv.weight!.copy_(torch.randn(conv.weight.shape, generator: generator) / Scalars.Of(Math.Sqrt(3.0 * s * s)));
                conv.bias!.copy_(torch.randn(conv.bias.shape, generator: generator) * Scalars.Of(0.1));
            }
            foreach (var p in conv.parameters()) p.requires_grad = false;
            conv.eval();
            return conv;
        }).ToArray();
        FeatureInfo = Strides.Select((s, i) => new FeatureInfo($"s{s}", c[i], s)).ToArray();
        Id = $"random-conv-{seed}-{string.Join("-", c)}";
    }

    /// <summary>The frozen weights, so callers can check that nothing trains them.</summary>
    public IEnumerable<Parameter> Parameters() => _levels.SelectMany(l => l.parameters());

    public SegmenterOutput Forward(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != 3) throw new ArgumentException($"expected [B,3,H,W] RGB, got [{string.Join(",", rgb.shape)}]");
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var x = rgb.to(ScalarType.Float32);
        var features = _levels.Select(conv => conv.to(x.device).forward(x).MoveToOuterDisposeScope()).ToArray();
        return new SegmenterOutput(features, null);
    }

    public void Dispose()
    {
        foreach (var l in _levels) l.Dispose();
    }
}
