using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>Σ weight·term over named terms (e.g. μ-law L1 + 0.01·VGG perceptual), disposing the terms it owns.</summary>
public sealed class CompositeLoss : IDisposable
{
    private readonly List<(ILossTerm Term, double Weight)> _terms = new();

    public CompositeLoss Add(ILossTerm term, double weight = 1.0)
    {
        if (!(weight >= 0) || !double.IsFinite(weight))
            throw new ArgumentException($"weight of loss term '{term.Name}' must be a finite non-negative number, got {weight}");
        if (_terms.Any(t => t.Term.Name == term.Name))
            throw new ArgumentException($"loss term '{term.Name}' is listed twice");
        _terms.Add((term, weight));
        return this;
    }

    public IReadOnlyList<(ILossTerm Term, double Weight)> Terms => _terms;

    public LossResult Compute(LossInputs inputs)
    {
        if (_terms.Count == 0) throw new InvalidOperationException("the loss has no terms");
        var values = new Dictionary<string, Tensor>();
        Tensor? total = null;
        foreach (var (term, weight) in _terms)
        {
            var v = term.Compute(inputs);
            values[term.Name] = v;
            var weighted = weight == 1.0 ? v : v * Scalars.Of(weight);
            total = total is null ? weighted : total + weighted;
        }
        return new LossResult(total!, values);
    }

    public void Dispose()
    {
        foreach (var (term, _) in _terms) term.Dispose();
        _terms.Clear();
    }
}
