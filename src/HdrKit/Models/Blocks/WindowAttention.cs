using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Multi-head self-attention inside non-overlapping windows with Swin's learned relative position bias.
/// State-dict names match the reference (relative_position_bias_table, qkv, proj). relative_position_index
/// is a derived constant and registered as a non-persistent buffer: it follows the module across devices
/// but is not part of the weights (the reference saves it; it is recomputed identically here).
/// </summary>
public sealed class WindowAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    // Windows attended per native call: bounds the [windows, heads, N, N] score tensor (~50 MB at 6 heads,
    // 8×8 windows) so full-resolution images do not need gigabytes for attention scores.
    private const long WindowsPerChunk = 512;

    private readonly Parameter relative_position_bias_table;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int heads;
    private readonly int tokens;

    public WindowAttention(int dim, int windowSize, int numHeads) : base(nameof(WindowAttention))
    {
        if (dim % numHeads != 0) throw new ArgumentException($"dim {dim} is not divisible by {numHeads} heads");
        heads = numHeads;
        tokens = windowSize * windowSize;
        int span = 2 * windowSize - 1;
        relative_position_bias_table = nn.Parameter(zeros(span * span, numHeads));
        nn.init.trunc_normal_(relative_position_bias_table, std: 0.02);
        qkv = nn.Linear(dim, dim * 3);
        proj = nn.Linear(dim, dim);
        RegisterComponents();
        register_buffer("relative_position_index", RelativePositionIndex(windowSize), persistent: false);
    }

    /// <summary>Index into the bias table for each (query, key) token pair of a window, as Swin defines it.</summary>
    private static Tensor RelativePositionIndex(int ws)
    {
        int n = ws * ws, span = 2 * ws - 1;
        var index = new long[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                index[i * n + j] = (i / ws - j / ws + ws - 1) * span + (i % ws - j % ws + ws - 1);
        return tensor(index).view(n, n);
    }

    /// <summary>[heads, N, N] bias, gathered from the table each call (it is trained).</summary>
    private Tensor RelativePositionBias()
    {
        var index = get_buffer("relative_position_index")!;
        return relative_position_bias_table.index_select(0, index.view(-1)).view(tokens, tokens, heads).permute(2, 0, 1);
    }

    /// <summary>
    /// Attends within windows. <paramref name="windows"/>: [B, nW, N, C] tokens in window order.
    /// <paramref name="shiftMask"/>: [nW, N, N] additive mask for shifted windows, or null.
    /// </summary>
    public override Tensor forward(Tensor windows, Tensor? shiftMask)
    {
        using var scope = NewDisposeScope();
        long b = windows.shape[0], nW = windows.shape[1], n = windows.shape[2], c = windows.shape[3];
        if (n != tokens) throw new ArgumentException($"expected {tokens} tokens per window, got {n}");
        var bias = RelativePositionBias();
        long chunk = Math.Max(1, WindowsPerChunk / b);
        var parts = new List<Tensor>();
        for (long start = 0; start < nW; start += chunk)
        {
            long len = Math.Min(chunk, nW - start);
            var x = nW == len ? windows : windows.narrow(1, start, len);
            var qkvOut = qkv.forward(x).view(b * len, n, 3, heads, c / heads).permute(2, 0, 3, 1, 4);
            // Shifted windows get bias + region mask per window; unshifted ones broadcast the bias.
            var mask = shiftMask is null
                ? bias
                : (bias.unsqueeze(0) + shiftMask.narrow(0, start, len).unsqueeze(1)).unsqueeze(0).expand(b, len, heads, n, n).reshape(b * len, heads, n, n);
            var attended = nn.functional.scaled_dot_product_attention(qkvOut[0], qkvOut[1], qkvOut[2], mask);
            parts.Add(proj.forward(attended.transpose(1, 2).reshape(b, len, n, c)));
        }
        var result = parts.Count == 1 ? parts[0] : cat(parts, 1);
        return result.MoveToOuterDisposeScope();
    }
}
