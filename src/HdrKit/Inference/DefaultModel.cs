using System.Text.Json;
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
        var jsonPath = Path.Combine(folder, "model.json");
        ShippedModelInfo? parsed;
        try { parsed = JsonSerializer.Deserialize<ShippedModelInfo>(File.ReadAllText(jsonPath), new JsonSerializerOptions { PropertyNameCaseInsensitive = true }); }
        catch (JsonException e) { throw new InvalidDataException($"{jsonPath}: not a model description ({e.Message.Split('\n')[0]})"); }
        var info = parsed ?? throw new InvalidDataException($"{jsonPath} is empty");
        if (string.IsNullOrWhiteSpace(info.Model) || string.IsNullOrWhiteSpace(info.Weights))
            throw new InvalidDataException($"{jsonPath}: needs \"model\" (a registry name) and \"weights\" (a file in the folder)");
        var network = ModelRegistry.CreateWithWeights(info.Model, Path.Combine(folder, info.Weights),
            new ModelOptions { Width = info.Width, Depths = info.Depths, Extra = info.Extra ?? new() });
        return (network, info);
    }
}
