using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HdrKit.Training;

/// <summary>
/// Writes an <see cref="OptionSection"/> as JSON for checkpoint sidecars: scalars that read as JSON numbers or
/// booleans are written as such, the rest as strings (the getters convert either way).
/// </summary>
internal sealed class OptionSectionJsonConverter : JsonConverter<OptionSection>
{
    public override OptionSection Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader);
        return node is null ? new OptionSection() : node as JsonObject is { } o ? FromObject(o) : throw new JsonException("expected an object of options");
    }

    private static OptionSection FromObject(JsonObject o)
    {
        var section = new OptionSection();
        foreach (var (key, value) in o) section.SetRaw(key, FromNode(value));
        return section;
    }

    private static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => FromObject(o),
        JsonArray a => a.Select(FromNode).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => throw new JsonException("unexpected option value"),
    };

    public override void Write(Utf8JsonWriter writer, OptionSection value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var key in value.Keys)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value[key]);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case OptionSection s: new OptionSectionJsonConverter().Write(writer, s, JsonSerializerOptions.Default); break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case "true": writer.WriteBooleanValue(true); break;
            case "false": writer.WriteBooleanValue(false); break;
            case string s when IsJsonNumber(s): writer.WriteRawValue(s); break;
            case string s: writer.WriteStringValue(s); break;
            default: throw new JsonException($"unexpected option value {value.GetType().Name}");
        }
    }

    private static bool IsJsonNumber(string s)
    {
        // JSON's number grammar is stricter than double.Parse (no "+1", ".5", "1.", "NaN", leading zeros).
        if (s.Length == 0) return false;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(s));
            return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.BytesConsumed == s.Length
                && double.IsFinite(double.Parse(s, CultureInfo.InvariantCulture));
        }
        catch (JsonException) { return false; }
    }
}
