using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// HDR-Transformer's local context extractor: a 1×1 → 3×3 → 1×1 bottleneck (LeakyReLU 0.2 at the end only,
/// as the reference) gated by squeeze-and-excitation. It restores the locality window attention lacks.
/// Names: conv.0/1/2, fc.0/fc.2 (bias-free).
/// </summary>
public sealed class LocalContextExtractor : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly Sequential fc;

    public LocalContextExtractor(int dim, int reduction = 8) : base(nameof(LocalContextExtractor))
    {
        int mid = dim / reduction;
        conv = nn.Sequential(
            nn.Conv2d(dim, mid, 1),
            nn.Conv2d(mid, mid, 3, padding: 1),
            nn.Conv2d(mid, dim, 1),
            new LeakyRelu(0.2));
        fc = nn.Sequential(
            nn.Linear(dim, mid, hasBias: false),
            nn.ReLU(),
            nn.Linear(mid, dim, hasBias: false),
            nn.Sigmoid());
        RegisterComponents();
    }

    /// <summary>[B, C, H, W] → [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv.forward(x);
        var gate = fc.forward(y.mean([2, 3])).unsqueeze(-1).unsqueeze(-1);
        return (y * gate).MoveToOuterDisposeScope();
    }
}
