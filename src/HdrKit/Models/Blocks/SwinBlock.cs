using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// The Swin transformer block shared by HDR-Transformer and SMNet: LayerNorm → (shifted) window attention →
/// residual, LayerNorm → MLP → residual. Subclasses add their side branch on the normalised features
/// (HDR-Transformer's local context extractor, SMNet's convolutional branch). Tokens are [B, H, W, C].
/// Fields are protected (not private) so that the subclass's RegisterComponents names them norm1, attn,
/// norm2, mlp, as the reference state dict does.
/// </summary>
public abstract class SwinBlock : nn.Module<Tensor, Tensor>
{
    protected readonly LayerNorm norm1;
    protected readonly WindowAttention attn;
    protected readonly LayerNorm norm2;
    protected readonly Mlp mlp;

    public int WindowSize { get; }
    /// <summary>0 for W-MSA, window/2 for SW-MSA (odd blocks of a group).</summary>
    public int ShiftSize { get; }

    protected SwinBlock(string name, int dim, int numHeads, int windowSize, int shiftSize, double mlpRatio) : base(name)
    {
        if (shiftSize < 0 || shiftSize >= windowSize) throw new ArgumentException($"shift {shiftSize} must be in [0, {windowSize})");
        WindowSize = windowSize;
        ShiftSize = shiftSize;
        norm1 = nn.LayerNorm(dim);
        attn = new WindowAttention(dim, windowSize, numHeads);
        norm2 = nn.LayerNorm(dim);
        mlp = new Mlp(dim, (long)(dim * mlpRatio));
    }

    /// <summary>W-MSA / SW-MSA on normalised tokens [B, H, W, C]; returns [B, H, W, C] in row-major order.</summary>
    protected Tensor AttendWindows(Tensor normed)
    {
        using var scope = NewDisposeScope();
        long b = normed.shape[0], h = normed.shape[1], w = normed.shape[2], c = normed.shape[3];
        var layout = WindowLayout.Get(h, w, WindowSize, ShiftSize, normed.device);
        var windows = normed.reshape(b, h * w, c).index_select(1, layout.Gather).view(b, layout.Windows, (long)WindowSize * WindowSize, c);
        var attended = attn.forward(windows, layout.ShiftMask).view(b, h * w, c);
        return attended.index_select(1, layout.Scatter).view(b, h, w, c).MoveToOuterDisposeScope();
    }

    /// <summary>x + MLP(LayerNorm(x)).</summary>
    protected Tensor FeedForward(Tensor x) => x + mlp.forward(norm2.forward(x));
}
