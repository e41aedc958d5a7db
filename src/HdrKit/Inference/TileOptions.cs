using HdrKit.Models;

namespace HdrKit.Inference;

/// <summary>How <see cref="TiledInference"/> cuts an image into tiles.</summary>
/// <param name="TileSize">Tiles hold at most TileSize² pixels (TileSize rounded up to the multiple), in the shape that covers the image with the
/// fewest pixels (<see cref="TiledInference"/>). Larger tiles: fewer seams to blend, more memory.</param>
/// <param name="Overlap">Pixels shared by neighbouring tiles. The outer quarter of each overlap is discarded and the middle half is
/// cross-faded, so results equal an untiled run when the network's receptive-field radius is at most Overlap / 4.</param>
/// <param name="Padding">"replicate" (default: repeats the border pixels, which keeps exposure levels and does not invent
/// mirrored motion) or "reflect"; used to bring the image to the network's pad multiple.</param>
/// <param name="BatchTiles">Tiles run together in one batch (trades memory for throughput; batch-1 inputs only).</param>
/// <param name="Device">"auto", "cpu", "cuda[:n]"; null keeps the model where it is.</param>
/// <param name="Multiple">Tile sides and the padded image are multiples of this and of the network's pad multiple. SAFNet resizes its
/// alignment input to a multiple of 16 at half resolution; 32 instead pads, making that an exact halving for the whole image and
/// every tile alike. <see cref="For"/> sets the network's <see cref="HdrNetwork.PreferredSizeMultiple"/> (32 for SAFNet); the
/// constructor's 1 leaves the image at its size (a whole-image run then equals the plain forward).</param>
/// <param name="WholeImagePixels">Images with at most this many (padded) pixels run as one tile, whatever the tile size:
/// exact, and cheaper than overlapping tiles when the whole forward fits in memory. 0 always tiles.</param>
public sealed record TileOptions(int TileSize = 512, int Overlap = 64, string Padding = "replicate", int BatchTiles = 1, string? Device = null,
    int Multiple = 1, long WholeImagePixels = 0)
{
    /// <summary>
    /// Defaults for a network: its preferred tile, sides a multiple of 32, of the network's pad multiple and of its
    /// preferred size multiple, the image padded to the latter two (SAFNet then aligns the whole image and every tile
    /// at exactly half resolution, so tiles agree with a whole-image run: bench/results/tiles.md), an overlap of four
    /// times the context the network needs beyond a pixel (<see cref="ContextFor"/>), and images up to 1.5 tiles' area
    /// run whole: one tile of that size costs about as much memory as the overlapping tiles it replaces, and is exact.
    /// </summary>
    public static TileOptions For(HdrNetwork model)
    {
        int tile = NetworkPadding.RoundUp(model.PreferredTileSize, NetworkPadding.LeastCommonMultiple(32, NetworkPadding.MultipleFor(model)));
        return new TileOptions(tile, 4 * ContextFor(model), Multiple: Math.Max(1, model.PreferredSizeMultiple), WholeImagePixels: 3L * tile * tile / 2);
    }

    /// <summary>The multiple tiles and the padded image are rounded to for a network: <see cref="Multiple"/> and its pad multiple.</summary>
    public int MultipleFor(HdrNetwork model) => NetworkPadding.LeastCommonMultiple(Math.Max(1, Multiple), Math.Max(1, model.InputSpec.PadMultiple));

    /// <summary>
    /// Pixels of context a network needs on each side for a tile's output to match a whole-image run. Convolutional
    /// merges see a few tens of pixels; SAFNet estimates flows on a pyramid down to 1/32 of the input, so its
    /// alignment reaches much further and gets a generous margin.
    /// </summary>
    public static int ContextFor(HdrNetwork model) => model is Models.SafNet.SafNet ? 64 : 32;
}
