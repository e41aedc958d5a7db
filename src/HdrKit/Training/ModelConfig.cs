using HdrKit.Models;
using HdrKit.Weights;
using TorchSharp;

namespace HdrKit.Training;

/// <summary>The `model:` section: a registry name and the <see cref="ModelOptions"/> to build it with.</summary>
public sealed class ModelConfig
{
    public string Name { get; set; } = "";
    public int? Width { get; set; }
    public int[]? Depths { get; set; }
    public int Exposures { get; set; } = 3;
    public Dictionary<string, string> Extra { get; set; } = new();

    /// <summary>
    /// Weights to start from instead of a fresh initialisation (fine-tuning, or a new run continuing an earlier
    /// one with a different recipe): a .safetensors/.pth weight file, or a trainer checkpoint (.json sidecar or
    /// its folder), whose inference network's weights (`module.model.` for the supervised recipe) are used. Relative paths are taken from the working directory.
    /// </summary>
    public string? Init { get; set; }

    /// <summary>Parameter-name prefixes that keep their fresh initialisation when <see cref="Init"/> loads (e.g. a head to retrain).</summary>
    public string[] Reinit { get; set; } = [];

    /// <summary>
    /// Parameter-name prefixes to train (e.g. `conv_first.` to fine-tune only the input convs); unset = all.
    /// The rest keep requires_grad off: no gradient, no optimiser state.
    /// </summary>
    public string[]? Trainable { get; set; }

    /// <summary>Parameter-name prefixes to keep fixed (e.g. `encoder.`); wins over <see cref="Trainable"/>.</summary>
    public string[]? Frozen { get; set; }

    public ModelOptions ToOptions() => new() { Width = Width, Depths = Depths, Exposures = Exposures, Extra = Extra };

    /// <summary>The registry network, initialised from <see cref="Init"/> when set, with <see cref="Trainable"/> and <see cref="Frozen"/> applied.</summary>
    public HdrNetwork Build()
    {
        var model = ModelRegistry.Create(Name, ToOptions());
        try
        {
            if (Init is not null) LoadInit(model);
            ParameterGroups.Apply(model, Trainable ?? [], Frozen ?? []);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void LoadInit(HdrNetwork model)
    {
        var options = new StateDictOptions { IgnorePrefixes = Reinit, IgnoreSuffixes = Models.Blocks.ReferenceCheckpoint.DerivedSuffixes };
        if (!IsCheckpoint(Init!))
        {
            StateDictLoader.LoadFile(model, Init!, options);
            return;
        }
        var info = Checkpoint.Read(Init!);
        var tensors = SafeTensors.Load(info.TensorsPath);
        try
        {
            var prefix = $"module.{info.InferenceModule}.";
            var weights = tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            if (weights.Count == 0) throw new InvalidDataException($"{info.TensorsPath} holds no '{prefix}' weights");
            StateDictLoader.Load(model, weights, options, Path.GetFileName(info.TensorsPath));
        }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    private static bool IsCheckpoint(string path) =>
        Directory.Exists(path) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
