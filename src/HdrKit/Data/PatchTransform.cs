namespace HdrKit.Data;

/// <summary>
/// One draw of the geometric and colour augmentation applied identically to every exposure, the ground truth and
/// the label maps of a patch: a rotation by k·90°, optional flips, and a permutation of the RGB channels
/// (the semi-supervised paper's "strong" augmentation).
/// </summary>
public readonly record struct PatchTransform(int Rotations, bool FlipHorizontal, bool FlipVertical, int[] ChannelOrder)
{
    public static PatchTransform Identity => new(0, false, false, [0, 1, 2]);

    public bool IsColourIdentity => ChannelOrder is [0, 1, 2];

    public static PatchTransform Sample(AugmentationOptions o, Random rng)
    {
        int rot = o.Rotations ? rng.Next(4) : 0;
        bool fh = o.HorizontalFlips && rng.Chance(0.5), fv = o.VerticalFlips && rng.Chance(0.5);
        int[] order = [0, 1, 2];
        if (o.ChannelShuffle) rng.Shuffle(order);
        return new PatchTransform(rot, fh, fv, order);
    }

    /// <summary>
    /// Source position inside a <paramref name="size"/>×<paramref name="size"/> patch for output position (x, y).
    /// Rotations and flips together give all 8 symmetries of the square.
    /// </summary>
    public (int X, int Y) Source(int x, int y, int size)
    {
        int m = size - 1;
        for (int r = 0; r < Rotations; r++) (x, y) = (m - y, x);
        if (FlipHorizontal) x = m - x;
        if (FlipVertical) y = m - y;
        return (x, y);
    }
}
