using System.Text.Json.Serialization;

namespace HdrKit.Inference;

/// <summary>
/// Compile-time JSON metadata for writing model.json (<see cref="ShippedModelInfo.Write"/>): camelCase keys, no
/// reflection. Reading goes through JsonDocument (<see cref="ShippedModelInfo.Read"/>).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ShippedModelInfo))]
internal sealed partial class ShippedModelJson : JsonSerializerContext;
