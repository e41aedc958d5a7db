using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrKit.Data;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace HdrKit.Training;

/// <summary>
/// A source's <c>labelled:</c> key: <c>true</c> (every scene keeps its ground truth, the default), <c>false</c>
/// (train as unlabelled) or <c>{count: 5, seed: 1}</c> / <c>{percent: 6.7, seed: 1}</c> (a fixed-seed subset keeps it).
/// Written back the same way into checkpoints' config.json.
/// </summary>
[JsonConverter(typeof(LabelledConfigJsonConverter))]
public sealed class LabelledConfig : IYamlConvertible
{
    public int? Count { get; set; }
    public double? Percent { get; set; }
    public long Seed { get; set; } = 1;

    public static LabelledConfig All => new();
    public static LabelledConfig None => new() { Count = 0 };

    public bool IsAll => Count is null && Percent is null;
    public bool IsNone => Count == 0 || Percent == 0;

    public LabelledSubset ToSubset() => new() { Count = Count, Percent = Percent, Seed = Seed };

    void IYamlConvertible.Read(IParser parser, Type expectedType, ObjectDeserializer nestedObjectDeserializer)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            if (!bool.TryParse(scalar.Value, out bool all))
                throw new YamlException(scalar.Start, scalar.End, $"labelled must be true, false or {{count|percent, seed}}, got '{scalar.Value}'");
            Count = all ? null : 0;
            return;
        }
        var fields = (Fields?)nestedObjectDeserializer(typeof(Fields)) ?? new Fields();
        Count = fields.Count; Percent = fields.Percent; Seed = fields.Seed ?? 1;
    }

    void IYamlConvertible.Write(IEmitter emitter, ObjectSerializer nestedObjectSerializer)
    {
        if (IsAll || (Count == 0 && Percent is null)) { nestedObjectSerializer(IsAll); return; }
        nestedObjectSerializer(new Fields { Count = Count, Percent = Percent, Seed = Seed });
    }

    private sealed class Fields
    {
        public int? Count { get; set; }
        public double? Percent { get; set; }
        public long? Seed { get; set; }
    }

    private sealed class LabelledConfigJsonConverter : JsonConverter<LabelledConfig>
    {
        public override LabelledConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType is JsonTokenType.True or JsonTokenType.False) return reader.GetBoolean() ? All : None;
            var result = new LabelledConfig();
            using var doc = JsonDocument.ParseValue(ref reader);
            foreach (var p in doc.RootElement.EnumerateObject())
                switch (p.Name)
                {
                    case "count": result.Count = p.Value.GetInt32(); break;
                    case "percent": result.Percent = p.Value.GetDouble(); break;
                    case "seed": result.Seed = p.Value.GetInt64(); break;
                    default: throw new JsonException($"labelled has no key '{p.Name}' (count, percent, seed)");
                }
            return result;
        }

        public override void Write(Utf8JsonWriter writer, LabelledConfig value, JsonSerializerOptions options)
        {
            if (value.IsAll) { writer.WriteBooleanValue(true); return; }
            if (value.Count == 0 && value.Percent is null) { writer.WriteBooleanValue(false); return; }
            writer.WriteStartObject();
            if (value.Count is { } c) writer.WriteNumber("count", c);
            if (value.Percent is { } p) writer.WriteNumber("percent", p);
            writer.WriteNumber("seed", value.Seed);
            writer.WriteEndObject();
        }
    }

    public override string ToString() => IsAll ? "true" : Count == 0 && Percent is null ? "false"
        : string.Create(CultureInfo.InvariantCulture, $"{{{(Count is { } c ? $"count: {c}" : $"percent: {Percent}")}, seed: {Seed}}}");
}
