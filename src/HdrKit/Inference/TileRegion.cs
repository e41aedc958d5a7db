namespace HdrKit.Inference;

/// <summary>
/// A tile's rectangle inside the image, in pixels: <see cref="Height"/> × <see cref="Width"/> samples from (Y, X),
/// <see cref="Step"/> pixels apart (1 for a tile; more for the sampling grid image-wide statistics are estimated on).
/// A crop of a region with <see cref="PaddedHeight"/> / <see cref="PaddedWidth"/> set is that size, its last row and
/// column repeated beyond the region (replicate padding at the image's bottom and right edge), so that a border tile
/// needs no second, padded copy.
/// </summary>
public readonly record struct TileRegion(long Y, long X, long Height, long Width, long Step = 1, long PaddedHeight = 0, long PaddedWidth = 0)
{
    /// <summary>Rows of the crop: <see cref="PaddedHeight"/> if set, else <see cref="Height"/>.</summary>
    public long OutputHeight => Math.Max(Height, PaddedHeight);

    /// <summary>Columns of the crop: <see cref="PaddedWidth"/> if set, else <see cref="Width"/>.</summary>
    public long OutputWidth => Math.Max(Width, PaddedWidth);

    /// <summary>The last row plus one that the region reads.</summary>
    public long Bottom => Y + (Height - 1) * Step + 1;

    /// <summary>The last column plus one that the region reads.</summary>
    public long Right => X + (Width - 1) * Step + 1;
}
