namespace HdrKit.Inference;

/// <summary>What a shipped model folder holds: model.json (registry name, options, provenance) + weights.</summary>
public sealed record ShippedModelInfo(string Model, int? Width, int[]? Depths, string Weights, string? Description, Dictionary<string, string>? Extra = null);
