using System.Text.Json;

namespace HdrKit.Inference;

/// <summary>What a shipped model folder holds: model.json (registry name, options, provenance) + weights.</summary>
public sealed record ShippedModelInfo(string Model, int? Width, int[]? Depths, string Weights, string? Description, Dictionary<string, string>? Extra = null)
{
    /// <summary>Reads and checks a model.json (keys in any case, as hand-written files vary).</summary>
    public static ShippedModelInfo Read(string jsonPath)
    {
        // Read through JsonDocument rather than the serializer: a merge reads one model.json per run, and the
        // serializer's first use cost 30-50 ms more of a 2 s merge even with generated metadata.
        ShippedModelInfo info;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(jsonPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{jsonPath}: not a model description (expected a JSON object)");
            var fields = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject()) fields[property.Name] = property.Value; // the last of a repeated key wins
            JsonElement? Field(string name) => fields.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
            info = new ShippedModelInfo(
                Field("model")?.GetString() ?? "",
                Field("width")?.GetInt32(),
                Field("depths")?.EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                Field("weights")?.GetString() ?? "",
                Field("description")?.GetString(),
                Field("extra")?.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{jsonPath}: not a model description ({e.Message.Split('\n')[0]})");
        }
        if (string.IsNullOrWhiteSpace(info.Model) || string.IsNullOrWhiteSpace(info.Weights))
            throw new InvalidDataException($"{jsonPath}: needs \"model\" (a registry name) and \"weights\" (a file in the folder)");
        return info;
    }

    /// <summary>Writes this description as a model.json that <see cref="Read"/> and <see cref="DefaultModel.Load"/> accept.</summary>
    public void Write(string jsonPath) => File.WriteAllText(jsonPath, JsonSerializer.Serialize(this, ShippedModelJson.Default.ShippedModelInfo));
}
