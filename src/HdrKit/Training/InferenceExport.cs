using System.Text.Json;
using HdrKit.Weights;
using TorchSharp;

namespace HdrKit.Training;

/// <summary>
/// The one way a run's result leaves the trainer: the recipe's <see cref="TrainingRecipe.InferenceNetwork"/> as
/// safetensors with metadata naming the architecture (the `model:` section it was built from), its options, the
/// step and the recipe — what `merge --model` / `eval --model` load and a shipped model folder holds. The end of
/// a run and `train --export` both come here, so a recipe with auxiliary networks (refiner, judge, teacher)
/// exports the same network either way.
/// </summary>
public static class InferenceExport
{
    private static readonly JsonSerializerOptions MetadataJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string path, TrainingRecipe recipe, TrainingConfig config, long step)
    {
        var model = config.Model;
        // Only what rebuilds the architecture: init, reinit and parameter groups describe the run, not the weights.
        var architecture = new ModelConfig { Name = model.Name, Width = model.Width, Depths = model.Depths, Exposures = model.Exposures, Extra = model.Extra };
        var meta = new Dictionary<string, string>
        {
            ["model"] = model.Name,
            ["model_config"] = JsonSerializer.Serialize(architecture, MetadataJson),
            ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["recipe"] = recipe.Name,
        };
        SafeTensors.Save(path, recipe.InferenceNetwork.state_dict(), meta);
    }

    /// <summary>
    /// Rebuilds the checkpoint's recipe on the CPU, restores the checkpoint into it and writes its inference
    /// network. The checkpoint's own weights are used, so its `model.init` chain is not followed; the global torch
    /// generator, which a restore sets, is put back afterwards.
    /// </summary>
    public static CheckpointInfo FromCheckpoint(string checkpoint, string path)
    {
        var info = Checkpoint.Read(checkpoint);
        var config = TrainingConfig.Parse(info.Config.ToJson(), info.SidecarPath);
        config.Model.Init = null;
        using var rng = torch.get_rng_state();
        try
        {
            using var recipe = RecipeRegistry.Create(config, torch.CPU);
            Checkpoint.Restore(info, recipe);
            Write(path, recipe, info.Config, info.State.Step);
        }
        finally { torch.set_rng_state(rng); }
        return info;
    }
}
