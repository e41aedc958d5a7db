using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Keeps a target module an exponential moving average of a source module: θ_t ← α·θ_t + (1 − α)·θ_s after
/// each student step (the semi-supervised method's teacher, α = 0.999). Buffers (e.g. norm statistics) are
/// copied, not averaged. The target's parameters are frozen: it is never trained directly.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly (Tensor Target, Tensor Source)[] _parameters;
    private readonly (Tensor Target, Tensor Source)[] _buffers;

    public double Alpha { get; }

    public ExponentialMovingAverage(nn.Module source, nn.Module target, double alpha)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentException($"EMA alpha must lie in [0, 1], got {alpha}");
        Alpha = alpha;
        _parameters = Pair(source.named_parameters().Select(p => (p.name, (Tensor)p.parameter)),
            target.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), "parameter");
        _buffers = Pair(source.named_buffers(), target.named_buffers(), "buffer");
        foreach (var p in target.parameters()) p.requires_grad = false;
    }

    /// <summary>Makes the target an exact copy of the source (the teacher's initialisation).</summary>
    public void CopySource()
    {
        using var _ = torch.no_grad();
        foreach (var (t, s) in _parameters.Concat(_buffers)) t.copy_(s);
    }

    public void Update()
    {
        using var _ = torch.no_grad();
        foreach (var (t, s) in _parameters) t.mul_(Scalars.Of(Alpha)).add_(s, alpha: Scalars.Of(1 - Alpha));
        foreach (var (t, s) in _buffers) t.copy_(s);
    }

    private static (Tensor, Tensor)[] Pair(IEnumerable<(string, Tensor)> source, IEnumerable<(string, Tensor)> target, string what)
    {
        var src = source.ToDictionary(p => p.Item1, p => p.Item2);
        var pairs = new List<(Tensor, Tensor)>();
        foreach (var (name, t) in target)
        {
            if (!src.Remove(name, out var s)) throw new ArgumentException($"EMA target has {what} '{name}' that the source lacks");
            if (!s.shape.SequenceEqual(t.shape)) throw new ArgumentException($"EMA {what} '{name}': source [{string.Join(",", s.shape)}] vs target [{string.Join(",", t.shape)}]");
            pairs.Add((t, s));
        }
        if (src.Count > 0) throw new ArgumentException($"EMA source has {what} '{src.Keys.First()}' that the target lacks");
        return pairs.ToArray();
    }
}
