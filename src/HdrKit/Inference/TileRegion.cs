namespace HdrKit.Inference;

/// <summary>
/// A tile's rectangle inside the image, in pixels: <see cref="Height"/> × <see cref="Width"/> samples from (Y, X),
/// <see cref="Step"/> pixels apart (1 for a tile; more for the sampling grid image-wide statistics are estimated on).
/// </summary>
public readonly record struct TileRegion(long Y, long X, long Height, long Width, long Step = 1)
{
    /// <summary>The last row plus one that the region reads.</summary>
    public long Bottom => Y + (Height - 1) * Step + 1;

    /// <summary>The last column plus one that the region reads.</summary>
    public long Right => X + (Width - 1) * Step + 1;
}
