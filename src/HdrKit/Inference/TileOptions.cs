using HdrKit.Models;

namespace HdrKit.Inference;

/// <summary>How <see cref="TiledInference"/> cuts an image into tiles.</summary>
/// <param name="TileSize">Tile side in pixels (rounded up to the network's pad multiple). Larger tiles: fewer seams to blend, more memory.</param>
/// <param name="Overlap">Pixels shared by neighbouring tiles. The outer quarter of each overlap is discarded and the middle half is
/// cross-faded, so results equal an untiled run when the network's receptive-field radius is at most Overlap / 4.</param>
/// <param name="Padding">"replicate" (default: repeats the border pixels, which keeps exposure levels and does not invent
/// mirrored motion) or "reflect"; used to bring the image to the network's pad multiple.</param>
/// <param name="BatchTiles">Tiles run together in one batch (trades memory for throughput; batch-1 inputs only).</param>
/// <param name="Device">"auto", "cpu", "cuda[:n]"; null keeps the model where it is.</param>
/// <param name="WholeImagePixels">Images with at most this many (padded) pixels run as one tile, whatever the tile size:
/// exact, and cheaper than overlapping tiles when the whole forward fits in memory. 0 always tiles.</param>
public sealed record TileOptions(int TileSize = 512, int Overlap = 64, string Padding = "replicate", int BatchTiles = 1, string? Device = null,
    long WholeImagePixels = 0)
{
    /// <summary>
    /// Defaults for a network: its preferred tile, sides a multiple of 32 and of the network's pad multiple (SAFNet
    /// then aligns each tile at exactly half resolution), and an overlap of four times the context the network needs
    /// beyond a pixel (<see cref="ContextFor"/>).
    /// </summary>
    public static TileOptions For(HdrNetwork model)
    {
        int multiple = Lcm(32, Math.Max(1, model.InputSpec.PadMultiple));
        return new TileOptions(NetworkPadding.RoundUp(model.PreferredTileSize, multiple), 4 * ContextFor(model));
    }

    /// <summary>
    /// Pixels of context a network needs on each side for a tile's output to match a whole-image run. Convolutional
    /// merges see a few tens of pixels; SAFNet estimates flows on a pyramid down to 1/32 of the input, so its
    /// alignment reaches much further and gets a generous margin.
    /// </summary>
    public static int ContextFor(HdrNetwork model) => model is Models.SafNet.SafNet ? 64 : 32;

    private static int Lcm(int a, int b) => a / Gcd(a, b) * b;

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
