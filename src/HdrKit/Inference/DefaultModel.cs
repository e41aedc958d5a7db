using HdrKit.Models;
using HdrKit.Util;

namespace HdrKit.Inference;

/// <summary>
/// The network `hdrkit merge` uses when no method is given: models/default/ next to the executable (published
/// builds) or in the source checkout. Absent until a trained model ships; merge then falls back to the
/// classical pipeline.
/// </summary>
public static class DefaultModel
{
    public static string? Folder =>
        new[] { Path.Combine(AppContext.BaseDirectory, "models", "default"), RepoPaths.Root is { } r ? Path.Combine(r, "models", "default") : null }
            .FirstOrDefault(p => p != null && File.Exists(Path.Combine(p, "model.json")));

    public static bool IsAvailable => Folder != null;

    /// <summary>Reads a shipped-model folder (model.json + weights) and builds the network with its weights loaded.</summary>
    public static (HdrNetwork Network, ShippedModelInfo Info) Load(string folder)
    {
        var info = ShippedModelInfo.Read(Path.Combine(folder, "model.json"));
        var network = ModelRegistry.CreateWithWeights(info.Model, Path.Combine(folder, info.Weights),
            new ModelOptions { Width = info.Width, Depths = info.Depths, Extra = info.Extra ?? new() });
        return (network, info);
    }
}
