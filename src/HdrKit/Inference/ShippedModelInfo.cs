using System.Text.Json;

namespace HdrKit.Inference;

/// <summary>What a shipped model folder holds: model.json (registry name, options, provenance) + weights.</summary>
public sealed record ShippedModelInfo(string Model, int? Width, int[]? Depths, string Weights, string? Description, Dictionary<string, string>? Extra = null)
{
    // model.json uses camelCase keys; reading accepts any case, as hand-written files vary.
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Reads and checks a model.json.</summary>
    public static ShippedModelInfo Read(string jsonPath)
    {
        ShippedModelInfo? parsed;
        try { parsed = JsonSerializer.Deserialize<ShippedModelInfo>(File.ReadAllText(jsonPath), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{jsonPath}: not a model description ({e.Message.Split('\n')[0]})"); }
        var info = parsed ?? throw new InvalidDataException($"{jsonPath} is empty");
        if (string.IsNullOrWhiteSpace(info.Model) || string.IsNullOrWhiteSpace(info.Weights))
            throw new InvalidDataException($"{jsonPath}: needs \"model\" (a registry name) and \"weights\" (a file in the folder)");
        return info;
    }

    /// <summary>Writes this description as a model.json that <see cref="Read"/> and <see cref="DefaultModel.Load"/> accept.</summary>
    public void Write(string jsonPath) => File.WriteAllText(jsonPath, JsonSerializer.Serialize(this, Json));
}
