using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Inference;

/// <summary>
/// Runs any <see cref="HdrNetwork"/> on any image size with memory bounded by the tile size: pads to the network's
/// <see cref="NetworkInputSpec.PadMultiple"/>, cuts overlapping tiles, runs them under no_grad (one dispose scope per
/// batch of tiles, so intermediate activations never accumulate) and blends the outputs with raised-cosine weights,
/// so there are no seams. Peak memory: the input, the [B, 3, H, W] output and its weight plane, plus one batch
/// of tiles' activations.
/// </summary>
public sealed class TiledInference
{
    private readonly HdrNetwork model;
    private readonly Device device;

    public TiledInference(HdrNetwork model, TileOptions? options = null)
    {
        this.model = model;
        Options = options ?? TileOptions.For(model);
        if (Options.TileSize < 1) throw new ArgumentException($"tile size must be positive, got {Options.TileSize}");
        if (Options.Overlap < 0 || Options.Overlap >= Options.TileSize)
            throw new ArgumentException($"tile overlap must be in [0, tile size {Options.TileSize}), got {Options.Overlap}");
        if (Options.BatchTiles < 1) throw new ArgumentException($"tiles per batch must be positive, got {Options.BatchTiles}");
        if (Options.Padding is not ("replicate" or "reflect"))
            throw new ArgumentException($"padding must be 'replicate' or 'reflect', got '{Options.Padding}'");

        var current = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        device = Options.Device == null ? current : Devices.Resolve(Options.Device);
        if (device.type != current.type || device.index != current.index) model.to(device);
    }

    public TileOptions Options { get; }

    /// <summary>
    /// Merges [B, N, 6, H, W] exposures into [B, 3, H, W] HDR on the CPU. Puts the model in eval mode.
    /// </summary>
    public Tensor Run(Tensor exposures, Action<TileProgress>? progress = null)
    {
        if (exposures.dim() != 5 || exposures.shape[2] != 6)
            throw new ArgumentException($"expected [B, N, 6, H, W] exposures, got [{string.Join(",", exposures.shape)}]");
        if (!model.InputSpec.Accepts((int)exposures.shape[1]))
            throw new ArgumentException($"{model.GetName()} does not take {exposures.shape[1]} exposures");
        model.eval();
        using var noGrad = torch.no_grad();
        using var outer = torch.NewDisposeScope();

        long batch = exposures.shape[0], n = exposures.shape[1], h = exposures.shape[3], w = exposures.shape[4];
        int multiple = Math.Max(1, model.InputSpec.PadMultiple);
        var padded = NetworkPadding.Pad(exposures, multiple, Options.Padding == "reflect" ? PaddingModes.Reflect : PaddingModes.Replicate);
        long ph = padded.shape[3], pw = padded.shape[4];
        long tileH = Math.Min(NetworkPadding.RoundUp(Options.TileSize, multiple), ph);
        long tileW = Math.Min(NetworkPadding.RoundUp(Options.TileSize, multiple), pw);
        var ys = Starts(ph, tileH, Options.Overlap);
        var xs = Starts(pw, tileW, Options.Overlap);
        var tiles = ys.SelectMany(y => xs.Select(x => (y, x))).ToList();

        var output = torch.zeros([batch, 3, ph, pw]);
        var weightSum = torch.zeros([1, 1, ph, pw]);
        int perBatch = batch == 1 ? Options.BatchTiles : 1;
        for (int start = 0; start < tiles.Count; start += perBatch)
        {
            using var scope = torch.NewDisposeScope();
            var group = tiles.Skip(start).Take(perBatch).ToList();
            var input = torch.cat(group.Select(t => padded.narrow(3, t.y, tileH).narrow(4, t.x, tileW)).ToArray(), 0).to(device);
            var result = model.forward(input).to(torch.CPU);
            for (int i = 0; i < group.Count; i++)
            {
                var (y, x) = group[i];
                var weight = TileWeight(tileH, tileW, y > 0, y + tileH < ph, x > 0, x + tileW < pw);
                var tileOut = result.narrow(0, i * batch, batch);
                output.narrow(2, y, tileH).narrow(3, x, tileW).add_(tileOut * weight);
                weightSum.narrow(2, y, tileH).narrow(3, x, tileW).add_(weight);
            }
            progress?.Invoke(new TileProgress(Math.Min(start + perBatch, tiles.Count), tiles.Count));
        }
        // In place: at 12 MP every output-sized temporary is another 137 MiB.
        output.div_(weightSum);
        return output.narrow(2, 0, h).narrow(3, 0, w).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Tile origins along one axis: every tile is full size; the last one is moved back to end at the border.</summary>
    internal static List<long> Starts(long size, long tile, long overlap)
    {
        if (size <= tile) return [0];
        long stride = tile - overlap;
        var starts = new List<long>();
        for (long s = 0; ; s += stride)
        {
            if (s + tile >= size) { starts.Add(size - tile); break; }
            starts.Add(s);
        }
        return starts;
    }

    /// <summary>
    /// Separable weight of one tile, [1, 1, tileH, tileW]: 1 inside; towards an edge shared with a neighbour, zero
    /// over the outer quarter of the overlap (where the network saw the tile border) and a raised-cosine ramp over
    /// the next half. Image borders keep weight 1.
    /// </summary>
    private Tensor TileWeight(long tileH, long tileW, bool top, bool bottom, bool left, bool right) =>
        Ramp(tileH, top, bottom).view(1, 1, tileH, 1) * Ramp(tileW, left, right).view(1, 1, 1, tileW);

    private Tensor Ramp(long length, bool start, bool end)
    {
        var values = new float[length];
        double margin = Options.Overlap / 4.0, ramp = Options.Overlap / 2.0;
        for (long i = 0; i < length; i++)
        {
            double v = 1.0;
            if (start) v = Math.Min(v, Fade(i + 0.5, margin, ramp));
            if (end) v = Math.Min(v, Fade(length - i - 0.5, margin, ramp));
            values[i] = (float)v;
        }
        return torch.tensor(values);
    }

    private static double Fade(double distance, double margin, double ramp) =>
        distance < margin ? 0.0
        : distance >= margin + ramp || ramp == 0 ? 1.0
        : 0.5 - 0.5 * Math.Cos(Math.PI * (distance - margin) / ramp);
}
