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
    /// its folder), whose `module.model.` weights are used. Relative paths are taken from the working directory.
    /// </summary>
    public string? Init { get; set; }

    /// <summary>Parameter-name prefixes that keep their fresh initialisation when <see cref="Init"/> loads (e.g. a head to retrain).</summary>
    public string[] Reinit { get; set; } = [];

    public ModelOptions ToOptions() => new() { Width = Width, Depths = Depths, Exposures = Exposures, Extra = Extra };

    /// <summary>The registry network, initialised from <see cref="Init"/> when set.</summary>
    public HdrNetwork Build()
    {
        var model = ModelRegistry.Create(Name, ToOptions());
        if (Init is null) return model;
        try
        {
            var options = new StateDictOptions { IgnorePrefixes = Reinit, IgnoreSuffixes = Models.Blocks.ReferenceCheckpoint.DerivedSuffixes };
            if (IsCheckpoint(Init))
            {
                var info = Checkpoint.Read(Init);
                var tensors = SafeTensors.Load(info.TensorsPath);
                try
                {
                    const string prefix = "module.model.";
                    var weights = tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                        .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
                    if (weights.Count == 0) throw new InvalidDataException($"{info.TensorsPath} holds no '{prefix}' weights");
                    StateDictLoader.Load(model, weights, options, Path.GetFileName(info.TensorsPath));
                }
                finally { foreach (var t in tensors.Values) t.Dispose(); }
            }
            else StateDictLoader.LoadFile(model, Init, options);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static bool IsCheckpoint(string path) =>
        Directory.Exists(path) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
