using System.Text.Json.Nodes;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Checkpoints as a safetensors file (every module's state dict under "module.{name}.", Adam moments and
/// step counts under "optim.{name}.{parameter}.", recipe state under "recipe.", the torch CPU generator
/// under "rng.torch") plus a JSON sidecar (format, position, recipe, reason, full config). The tensors are
/// written first and the sidecar last, each via temp-file-and-rename, so a sidecar always names a complete
/// tensor file; "latest.json" is the newest sidecar.
/// </summary>
public static class Checkpoint
{
    public const string Format = "hdrkit-checkpoint/1";
    public const string LatestName = "latest.json";

    public static string Save(string folder, TrainingRecipe recipe, TrainingConfig config, TrainingState state, string reason)
    {
        Directory.CreateDirectory(folder);
        var stem = $"step-{state.Step:D8}";
        var tensorsPath = Path.Combine(folder, stem + ".safetensors");
        var repeated = recipe.Optimizers.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new InvalidOperationException($"recipe '{recipe.Name}' has two optimizers named '{repeated.Key}': their state would share checkpoint keys");
        var tensors = new Dictionary<string, Tensor>();
        using (var scope = torch.NewDisposeScope())
        {
            foreach (var (name, module) in recipe.Modules)
                foreach (var (key, t) in module.state_dict()) tensors[$"module.{name}.{key}"] = t;
            foreach (var opt in recipe.Optimizers)
                foreach (var (key, t) in opt.SaveState($"optim.{opt.Name}.")) tensors[key] = t;
            foreach (var (key, t) in recipe.SaveState()) tensors[$"recipe.{key}"] = t;
            tensors["rng.torch"] = torch.get_rng_state();
            SafeTensors.Save(tensorsPath, tensors, new Dictionary<string, string> { ["format"] = Format, ["recipe"] = recipe.Name });
        }

        var sidecar = new JsonObject
        {
            ["format"] = Format,
            ["tensors"] = Path.GetFileName(tensorsPath),
            ["recipe"] = recipe.Name,
            ["inference_module"] = recipe.Modules.FirstOrDefault(kv => ReferenceEquals(kv.Value, recipe.InferenceNetwork)).Key,
            ["reason"] = reason,
            ["step"] = state.Step,
            ["epoch"] = state.Epoch,
            ["batch_in_epoch"] = state.BatchInEpoch,
            ["elapsed_seconds"] = state.ElapsedSeconds,
            ["learning_rates"] = new JsonObject(recipe.Optimizers.Select(o => KeyValuePair.Create(o.Name, (JsonNode?)o.LearningRate))),
            ["saved_utc"] = DateTime.UtcNow.ToString("O"),
            ["config"] = JsonNode.Parse(config.ToJson()),
        };
        var text = sidecar.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        var sidecarPath = Path.Combine(folder, stem + ".json");
        AtomicText.Write(sidecarPath, text);
        AtomicText.Write(Path.Combine(folder, LatestName), text);
        return sidecarPath;
    }

    /// <summary>Reads a sidecar given the sidecar, its .safetensors, or a checkpoint folder (its latest.json).</summary>
    public static CheckpointInfo Read(string path)
    {
        string sidecarPath = Directory.Exists(path) ? Path.Combine(path, LatestName)
            : path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? Path.ChangeExtension(path, ".json") : path;
        if (!File.Exists(sidecarPath))
            throw new FileNotFoundException($"checkpoint not found: {sidecarPath}" + (Directory.Exists(path) ? " (the folder has no latest.json)" : ""));
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(sidecarPath)) as JsonObject ?? throw new InvalidDataException("not an object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{sidecarPath} is not a checkpoint sidecar: {e.Message}"); }
        if ((string?)root["format"] != Format)
            throw new InvalidDataException($"{sidecarPath} is not a {Format} checkpoint sidecar (format '{root["format"]}')");
        var tensorsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sidecarPath))!, (string)root["tensors"]!);
        if (!File.Exists(tensorsPath)) throw new FileNotFoundException($"{sidecarPath} names {tensorsPath}, which is missing");
        var config = TrainingConfig.Parse(root["config"]!.ToJsonString(), sidecarPath);
        var state = new TrainingState((long)root["step"]!, (int)root["epoch"]!, (int)root["batch_in_epoch"]!, (double)root["elapsed_seconds"]!);
        return new CheckpointInfo(sidecarPath, tensorsPath, (string)root["recipe"]!, state, config, (string?)root["reason"] ?? "")
        {
            InferenceModule = (string?)root["inference_module"] ?? "model",
        };
    }

    /// <summary>Loads weights, optimiser state, recipe state and the torch generator into a recipe built from the same config.</summary>
    public static void Restore(CheckpointInfo info, TrainingRecipe recipe)
    {
        if (!string.Equals(info.Recipe, recipe.Name, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{info.SidecarPath} was written by recipe '{info.Recipe}', not '{recipe.Name}'");
        var tensors = SafeTensors.Load(info.TensorsPath);
        try
        {
            foreach (var (name, module) in recipe.Modules)
            {
                var prefix = $"module.{name}.";
                var dict = tensors.Where(kv => kv.Key.StartsWith(prefix)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
                var expected = module.state_dict();
                var missing = expected.Keys.Except(dict.Keys).ToList();
                var extra = dict.Keys.Except(expected.Keys).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                    throw new InvalidDataException($"{info.TensorsPath} does not match module '{name}': " +
                        (missing.Count > 0 ? $"missing {missing[0]}" : $"unexpected {extra[0]}") + $" ({missing.Count} missing, {extra.Count} unexpected)");
                using var _ = torch.no_grad();
                foreach (var (key, target) in expected)
                {
                    if (!target.shape.SequenceEqual(dict[key].shape))
                        throw new InvalidDataException($"{info.TensorsPath}: '{prefix}{key}' has shape [{string.Join(",", dict[key].shape)}], the module has [{string.Join(",", target.shape)}]");
                    target.copy_(dict[key]);
                }
            }
            foreach (var opt in recipe.Optimizers) opt.LoadState($"optim.{opt.Name}.", tensors, info.TensorsPath);
            recipe.LoadState(tensors.Where(kv => kv.Key.StartsWith("recipe.")).ToDictionary(kv => kv.Key["recipe.".Length..], kv => kv.Value));
            if (!tensors.TryGetValue("rng.torch", out var rng)) throw new InvalidDataException($"{info.TensorsPath} lacks rng.torch");
            torch.set_rng_state(rng);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> periodic checkpoints (latest.json is never deleted).</summary>
    public static void Prune(string folder, int keep)
    {
        var stems = Directory.EnumerateFiles(folder, "step-*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        foreach (var stem in stems.Take(Math.Max(0, stems.Count - keep)))
        {
            // Data file first: a crash in between leaves a sidecar without weights, which Read refuses, never
            // an orphan weights file that nothing lists.
            File.Delete(Path.Combine(folder, stem + ".safetensors"));
            File.Delete(Path.Combine(folder, stem + ".json"));
        }
        // Weights whose sidecar never got written (a run killed between the two writes) are unreadable: drop them.
        foreach (var orphan in Directory.EnumerateFiles(folder, "step-*.safetensors").ToList())
            if (!File.Exists(Path.ChangeExtension(orphan, ".json"))) File.Delete(orphan);
    }
}
