namespace HdrKit.Inference;

/// <summary>A tile's rectangle inside the image, in pixels.</summary>
public readonly record struct TileRegion(long Y, long X, long Height, long Width);
