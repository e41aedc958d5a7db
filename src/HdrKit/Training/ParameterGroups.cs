using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Freezes or trains parameters by name prefix (`model.trainable` / `model.frozen`): fine-tuning conv_first
/// only, or keeping a pretrained part fixed. A frozen parameter has requires_grad off, so it gets no gradient
/// and no optimiser ever holds it.
/// </summary>
public static class ParameterGroups
{
    /// <param name="trainable">Prefixes to train; empty = every parameter.</param>
    /// <param name="frozen">Prefixes to freeze; applied after <paramref name="trainable"/>, so it wins.</param>
    /// <param name="origin">Names the config section in error messages (e.g. "model").</param>
    public static void Apply(nn.Module module, IReadOnlyCollection<string> trainable, IReadOnlyCollection<string> frozen, string origin = "model")
    {
        var parameters = module.named_parameters().ToArray();
        void RequireMatches(IEnumerable<string> prefixes, string key)
        {
            foreach (var prefix in prefixes)
                if (!parameters.Any(p => p.name.StartsWith(prefix, StringComparison.Ordinal)))
                    throw new ArgumentException($"{origin}.{key}: no parameter name starts with '{prefix}' (e.g. {string.Join(", ", parameters.Take(3).Select(p => p.name))})");
        }
        RequireMatches(trainable, "trainable");
        RequireMatches(frozen, "frozen");
        if (trainable.Count == 0 && frozen.Count == 0) return;
        foreach (var (name, p) in parameters)
        {
            bool train = (trainable.Count == 0 || trainable.Any(t => name.StartsWith(t, StringComparison.Ordinal)))
                && !frozen.Any(f => name.StartsWith(f, StringComparison.Ordinal));
            p.requires_grad = train;
        }
        if (!parameters.Any(p => p.parameter.requires_grad))
            throw new ArgumentException($"{origin}.trainable / {origin}.frozen leave no parameter to train");
    }

    /// <summary>Parameter counts over modules (each parameter once, even if two modules share it).</summary>
    public static (long Total, long Trainable) Count(IEnumerable<nn.Module> modules)
    {
        var seen = new HashSet<IntPtr>();
        long total = 0, trainable = 0;
        foreach (var p in modules.SelectMany(m => m.parameters()))
        {
            if (!seen.Add(p.Handle)) continue;
            total += p.numel();
            if (p.requires_grad) trainable += p.numel();
        }
        return (total, trainable);
    }
}
