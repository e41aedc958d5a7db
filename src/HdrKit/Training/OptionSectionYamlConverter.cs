using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace HdrKit.Training;

/// <summary>Reads a YAML (or JSON) map into an <see cref="OptionSection"/>: scalars as text, sequences as lists, maps as sections.</summary>
internal sealed class OptionSectionYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(OptionSection);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        if (parser.TryConsume<Scalar>(out var empty) && IsNull(empty)) return new OptionSection();
        if (empty is not null) throw new YamlException(empty.Start, empty.End, $"expected a map, got '{empty.Value}'");
        return ReadMap(parser);
    }

    private static OptionSection ReadMap(IParser parser)
    {
        var section = new OptionSection();
        parser.Consume<MappingStart>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>().Value;
            section.SetRaw(key, ReadValue(parser));
        }
        return section;
    }

    private static object? ReadValue(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var scalar)) return IsNull(scalar) ? null : scalar.Value;
        if (parser.Accept<MappingStart>(out _)) return ReadMap(parser);
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var list = new List<object?>();
            while (!parser.TryConsume<SequenceEnd>(out _)) list.Add(ReadValue(parser));
            return list;
        }
        var current = parser.Current!;
        throw new YamlException(current.Start, current.End, $"unsupported YAML in an option map ({current.GetType().Name})");
    }

    private static bool IsNull(Scalar s) => s.Style == ScalarStyle.Plain && s.Value is "" or "~" or "null" or "Null" or "NULL";

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        throw new NotSupportedException("configs are written as JSON (TrainingConfig.ToJson)");
}
