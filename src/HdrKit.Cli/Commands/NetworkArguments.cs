using HdrKit.Exposure;
using HdrKit.Inference;
using HdrKit.Models;

namespace HdrKit.Cli.Commands;

/// <summary>
/// What `--model` / `--weights` name, shared by merge and eval: a registry name with a weights file, or a model
/// folder (model.json + weights, like models/default), which also carries the model's options.
/// </summary>
internal static class NetworkArguments
{
    public const string ModelHelp = "Network to use: a registry name (listed by `hdrkit info`) with --weights, or a model folder holding model.json and its weights (e.g. models/default).";

    public static bool IsModelFolder(string model) => File.Exists(Path.Combine(model, "model.json"));

    /// <summary>A model folder's own name ("default" for models/default/), for messages and output folders.</summary>
    public static string FolderName(string folder) => Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>`--method` with `--model`, as merge and batch read them: no method lets the default model decide.</summary>
    public static MergeMethod MethodFor(string? method, string? model) => (method?.ToLowerInvariant(), model) switch
    {
        ("classical", null) => MergeMethod.Classical,
        ("classical", _) => throw new UserInputException("--model needs --method network (or no --method)"),
        (null, _) => MergeMethod.Auto,
        ("network", _) => MergeMethod.Network,
        _ => throw new UserInputException($"unknown --method '{method}': use classical or network"),
    };

    /// <summary>Exposure times in seconds from `--exposures` (seconds) or `--ev` (stops), or null when neither is given.</summary>
    public static double[]? ExposuresFor(string? secondsText, string? evText, int? frames)
    {
        if (secondsText != null && evText != null) throw new UserInputException("give either --exposures or --ev, not both");
        return secondsText != null ? ExposureSpec.ParseSeconds(secondsText, frames ?? secondsText.Split(',').Length)
            : evText != null ? ExposureSpec.ParseStops(evText, frames ?? evText.Split(',').Length) : null;
    }

    /// <summary>The network with its weights loaded, and a name for messages and output folders.</summary>
    public static (HdrNetwork Network, string Name) Load(string model, string? weights)
    {
        if (IsModelFolder(model))
        {
            if (weights != null) throw new UserInputException($"--weights is not used with a model folder: {Path.Combine(model, "model.json")} names the weights");
            var (net, info) = DefaultModel.Load(model);
            return (net, $"{info.Model} from {FolderName(model)}");
        }
        if (weights == null) throw new UserInputException($"--model {model} needs --weights FILE (.safetensors or .pth), or give a model folder; without trained weights a network produces noise");
        return (ModelRegistry.CreateWithWeights(model, weights), $"{model} with {Path.GetFileName(weights)}");
    }
}
