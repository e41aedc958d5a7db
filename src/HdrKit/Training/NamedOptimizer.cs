using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// An Adam optimiser with the names of the parameters it drives, so its moments are checkpointed by
/// parameter name (not by position) and a recipe may own several (student, judge, refiner…), each with
/// its own base learning rate scaled by the shared schedule.
/// </summary>
public sealed class NamedOptimizer : IDisposable
{
    private readonly Adam _adam;

    public string Name { get; }
    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters { get; }
    public double BaseLearningRate { get; }

    private NamedOptimizer(string name, Adam adam, IReadOnlyList<(string, Parameter)> parameters, double baseLr)
    {
        Name = name; _adam = adam; Parameters = parameters; BaseLearningRate = baseLr;
    }

    /// <summary>Adam over the trainable parameters; <paramref name="lr"/> overrides the config's rate (e.g. a judge network's).</summary>
    public static NamedOptimizer Adam(string name, IEnumerable<(string, Parameter)> parameters, OptimizerConfig config, double? lr = null)
    {
        var trainable = parameters.Where(p => p.Item2.requires_grad).ToArray();
        if (trainable.Length == 0) throw new ArgumentException($"optimizer '{name}' has no trainable parameters");
        // State is saved by these names: a repeat would make two parameters share one checkpoint entry.
        var repeated = trainable.GroupBy(p => p.Item1).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new ArgumentException($"optimizer '{name}' holds two parameters named '{repeated.Key}'; give each module a prefix (the overload taking named modules does)");
        double rate = lr ?? config.Lr;
        var adam = torch.optim.Adam(trainable.Select(p => p.Item2).ToArray(), rate, config.Beta1, config.Beta2, config.Eps, config.WeightDecay);
        return new NamedOptimizer(name, adam, trainable, rate);
    }

    /// <summary>
    /// One Adam over several modules, each parameter named "{module}.{parameter}" so that two modules with a
    /// `conv1.weight` each keep separate state.
    /// </summary>
    public static NamedOptimizer Adam(string name, IReadOnlyDictionary<string, nn.Module> modules, OptimizerConfig config, double? lr = null) =>
        Adam(name, modules.SelectMany(m => m.Value.named_parameters().Select(p => ($"{m.Key}.{p.name}", p.parameter))), config, lr);

    public optim.Optimizer Optimizer => _adam;

    public double LearningRate => _adam.ParamGroups.First().LearningRate;

    public void SetLearningRate(double lr)
    {
        foreach (var g in _adam.ParamGroups) g.LearningRate = lr;
    }

    public void ZeroGrad() => _adam.zero_grad();

    public void Step() => _adam.step();

    /// <summary>Adam's per-parameter state (moments and step count), keyed "{prefix}{parameter}.{field}".</summary>
    internal Dictionary<string, Tensor> SaveState(string prefix)
    {
        var result = new Dictionary<string, Tensor>();
        var states = _adam.state_dict().State;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var s = (Adam.State)states[i];
            var key = $"{prefix}{Parameters[i].Name}.";
            result[key + "exp_avg"] = s.exp_avg;
            result[key + "exp_avg_sq"] = s.exp_avg_sq;
            if (s.max_exp_avg_sq is not null) result[key + "max_exp_avg_sq"] = s.max_exp_avg_sq;
            result[key + "step"] = torch.tensor(new[] { s.step });
        }
        return result;
    }

    internal void LoadState(string prefix, IReadOnlyDictionary<string, Tensor> tensors, string origin)
    {
        var states = _adam.state_dict().State;
        using var _ = torch.no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var s = (Adam.State)states[i];
            var key = $"{prefix}{Parameters[i].Name}.";
            Tensor Get(string field) => tensors.TryGetValue(key + field, out var t) ? t
                : throw new InvalidDataException($"{origin} lacks optimizer state '{key + field}' (different model or recipe?)");
            var avg = Get("exp_avg");
            if (!avg.shape.SequenceEqual(s.exp_avg.shape))
                throw new InvalidDataException($"{origin}: '{key}exp_avg' has shape [{string.Join(",", avg.shape)}], the parameter has [{string.Join(",", s.exp_avg.shape)}]");
            s.exp_avg.copy_(avg);
            s.exp_avg_sq.copy_(Get("exp_avg_sq"));
            if (s.max_exp_avg_sq is not null) s.max_exp_avg_sq.copy_(Get("max_exp_avg_sq"));
            s.step = Get("step").item<long>();
        }
    }

    public void Dispose() => _adam.Dispose();
}
