using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Semantic;

/// <summary>
/// The semantic knowledge bank's output for one reference image of H×W pixels, all on the CPU:
/// <see cref="Features"/>[i] is [C_i, ⌈H/s_i⌉, ⌈W/s_i⌉] for s = 2, 4, 8, 16 (the papers' p_f);
/// <see cref="ClassProbabilities"/> [K,H,W] and <see cref="ClassMap"/> (argmax, row-major) when the backend
/// has classes; <see cref="Segments"/> the class-agnostic segment map (the papers' p_m).
/// </summary>
public sealed class SemanticPriors : IDisposable
{
    public int Width { get; }
    public int Height { get; }
    public Tensor[] Features { get; }
    public Tensor? ClassProbabilities { get; }
    public int[]? ClassMap { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public SegmentMap Segments { get; }

    public SemanticPriors(int width, int height, Tensor[] features, Tensor? classProbabilities, int[]? classMap,
        IReadOnlyList<string>? classNames, SegmentMap segments)
    {
        if (segments.Width != width || segments.Height != height)
            throw new ArgumentException($"segment map is {segments.Width}x{segments.Height}, priors are {width}x{height}");
        Width = width; Height = height; Features = features; ClassProbabilities = classProbabilities;
        ClassMap = classMap; ClassNames = classNames; Segments = segments;
    }

    /// <summary>One binary mask per segment, [K,H,W] float (the per-segment weights of SMHDR and the colour loss).</summary>
    public Tensor SegmentMasks(Device? device = null)
    {
        using var scope = torch.NewDisposeScope();
        var ids = torch.tensor(Segments.Ids, [Height, Width], ScalarType.Int64, device);
        var masks = nn.functional.one_hot(ids, Segments.Count).permute(2, 0, 1).to(ScalarType.Float32);
        return masks.MoveToOuterDisposeScope();
    }

    /// <summary>Index of a class by name (case-insensitive), or −1.</summary>
    public int ClassIndex(string name) => ClassNames?.ToList().FindIndex(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)) ?? -1;

    /// <summary>Moves the tensors out of the caller's dispose scope; the priors own them until disposed.</summary>
    internal SemanticPriors Detach()
    {
        foreach (var f in Features) f.MoveToOuterDisposeScope();
        ClassProbabilities?.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var f in Features) f.Dispose();
        ClassProbabilities?.Dispose();
    }
}
