using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Restormer's "WithBias" LayerNorm wrapper (name: body): LayerNorm over channels, eps 1e-5, biased variance
/// — numerically nn.LayerNorm. Exists so that the state-dict names norm1_x.body.weight etc. match.
/// </summary>
public sealed class TokenLayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm body;

    public TokenLayerNorm(int dim) : base(nameof(TokenLayerNorm))
    {
        body = nn.LayerNorm(dim);
        RegisterComponents();
    }

    /// <summary>Tokens [..., C] → normalised tokens.</summary>
    public override Tensor forward(Tensor tokens) => body.forward(tokens);
}
