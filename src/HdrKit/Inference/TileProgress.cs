namespace HdrKit.Inference;

/// <summary>Tiles finished so far out of the total, reported after each batch of tiles.</summary>
public readonly record struct TileProgress(int Done, int Total);
