using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// Feature pyramid (Lin et al. 2017) over the semantic knowledge bank's four levels p_f^i (strides 2…16, any
/// channel counts): 1×1 lateral convs to one width, a top-down pass adding each coarser level upsampled
/// (nearest, to the finer level's exact size since levels are ⌈H/s⌉), and a 3×3 smoothing conv per level
/// the caller uses. Only requested outputs get a smoothing conv, so every parameter receives a gradient.
/// Names: lateral.i, smooth.j (j indexes <see cref="OutputLevels"/>).
/// </summary>
public sealed class SemanticFpn : nn.Module<IReadOnlyList<Tensor>, Tensor[]>
{
    private readonly ModuleList<Conv2d> lateral;
    private readonly ModuleList<Conv2d> smooth;
    private readonly int[] inputChannels;
    private readonly int[] outputLevels;

    /// <param name="inputChannels">Channels of each input level, finest first.</param>
    /// <param name="width">Channels of every output.</param>
    /// <param name="outputLevels">Which levels (0 = finest) to return, in the order returned.</param>
    public SemanticFpn(IReadOnlyList<int> inputChannels, int width, IReadOnlyList<int> outputLevels) : base(nameof(SemanticFpn))
    {
        if (inputChannels.Count < 1) throw new ArgumentException("the pyramid needs at least one level");
        if (outputLevels.Count < 1 || outputLevels.Any(l => l < 0 || l >= inputChannels.Count))
            throw new ArgumentException($"output levels must lie in 0..{inputChannels.Count - 1}, got [{string.Join(",", outputLevels)}]");
        this.inputChannels = inputChannels.ToArray();
        this.outputLevels = outputLevels.ToArray();
        lateral = nn.ModuleList(inputChannels.Select(c => nn.Conv2d(c, width, 1)).ToArray());
        smooth = nn.ModuleList(outputLevels.Select(_ => nn.Conv2d(width, width, 3, padding: 1)).ToArray());
        RegisterComponents();
    }

    public IReadOnlyList<int> OutputLevels => outputLevels;

    /// <summary>Levels [B, C_i, h_i, w_i], finest first → the requested levels at the pyramid's width.</summary>
    public override Tensor[] forward(IReadOnlyList<Tensor> levels)
    {
        if (levels.Count != inputChannels.Length)
            throw new ArgumentException($"expected {inputChannels.Length} prior levels, got {levels.Count}");
        for (int i = 0; i < levels.Count; i++)
            if (levels[i].dim() != 4 || levels[i].shape[1] != inputChannels[i])
                throw new ArgumentException($"prior level {i} must be [B,{inputChannels[i]},h,w], got [{string.Join(",", levels[i].shape)}]");
        using var scope = NewDisposeScope();
        var merged = new Tensor[levels.Count];
        for (int i = levels.Count - 1; i >= 0; i--)
        {
            var l = lateral[i].forward(levels[i]);
            merged[i] = i == levels.Count - 1 ? l
                : l + nn.functional.interpolate(merged[i + 1], [l.shape[2], l.shape[3]], mode: InterpolationMode.Nearest);
        }
        var outputs = new Tensor[outputLevels.Length];
        for (int j = 0; j < outputLevels.Length; j++)
            outputs[j] = smooth[j].forward(merged[outputLevels[j]]).MoveToOuterDisposeScope();
        return outputs;
    }
}
