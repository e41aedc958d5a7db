using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Inference;

/// <summary>
/// Runs any <see cref="HdrNetwork"/> on any image size with memory bounded by the tile size: cuts overlapping tiles
/// (each padded to the network's <see cref="NetworkInputSpec.PadMultiple"/> and <see cref="TileOptions.Multiple"/> where it meets the image border), runs
/// them under no_grad (one dispose scope per batch of tiles, so intermediate activations never accumulate) and
/// blends the outputs with raised-cosine weights, so there are no seams. The input can come tile by tile from a
/// callback, so the whole [B, N, 6, H, W] input never has to exist; what stays resident is the [B, 3, H, W] output
/// plus one batch of tiles' activations.
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
        if (Options.Multiple < 1) throw new ArgumentException($"tile multiple must be positive, got {Options.Multiple}");
        if (Options.WholeImagePixels < 0) throw new ArgumentException($"whole-image pixel budget must be non-negative, got {Options.WholeImagePixels}");

        var current = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        device = Options.Device == null ? current : Devices.Resolve(Options.Device);
        if (device.type != current.type || device.index != current.index) model.to(device);
    }

    public TileOptions Options { get; }

    /// <summary>When set, receives the time spent building tile inputs ("tile input"), in the network ("forward") and blending ("blend").</summary>
    public StageTimes? Times { get; init; }

    /// <summary>
    /// Merges [B, N, 6, H, W] exposures into [B, 3, H, W] HDR on the CPU. Puts the model in eval mode.
    /// </summary>
    public Tensor Run(Tensor exposures, Action<TileProgress>? progress = null)
    {
        if (exposures.dim() != 5 || exposures.shape[2] != 6)
            throw new ArgumentException($"expected [B, N, 6, H, W] exposures, got [{string.Join(",", exposures.shape)}]");
        return Run(exposures.shape[0], (int)exposures.shape[1], exposures.shape[3], exposures.shape[4],
            r => ReplicateTo(exposures[TensorIndex.Ellipsis, TensorIndex.Slice(r.Y, r.Bottom, r.Step), TensorIndex.Slice(r.X, r.Right, r.Step)], r), progress);
    }

    /// <summary>
    /// As <see cref="Run(Tensor, Action{TileProgress})"/>, with the input of each tile built on demand by
    /// <paramref name="crop"/>: [B, N, 6, region height, region width] for a region inside the image.
    /// </summary>
    public Tensor Run(long batch, int exposures, long height, long width, Func<TileRegion, Tensor> crop, Action<TileProgress>? progress = null)
    {
        var output = torch.zeros([batch, 3, height, width]);
        try { RunInto(output, exposures, crop, progress); }
        catch { output.Dispose(); throw; }
        return output;
    }

    /// <summary>
    /// As <see cref="Run(long, int, long, long, Func{TileRegion, Tensor}, Action{TileProgress})"/>, adding the blended
    /// result into the caller's zero-filled [B, 3, H, W] CPU <paramref name="output"/>, which may share memory with
    /// an image's samples (<c>torch.frombuffer</c>), so the merge needs no second full-size copy.
    /// </summary>
    public void RunInto(Tensor output, int exposures, Func<TileRegion, Tensor> crop, Action<TileProgress>? progress = null)
    {
        if (output.dim() != 4 || output.shape[1] != 3)
            throw new ArgumentException($"expected a [B, 3, H, W] output, got [{string.Join(",", output.shape)}]");
        long batch = output.shape[0], height = output.shape[2], width = output.shape[3];
        if (!model.InputSpec.Accepts(exposures))
            throw new ArgumentException($"{model.GetName()} does not take {exposures} exposures");
        model.eval();
        using var noGrad = torch.no_grad();
        using var outer = torch.NewDisposeScope();

        int multiple = Options.MultipleFor(model);
        var mode = Options.Padding == "reflect" ? PaddingModes.Reflect : PaddingModes.Replicate;
        var (bottom, right) = NetworkPadding.Amount(height, width, multiple);
        long ph = height + bottom, pw = width + right;
        bool whole = ph * pw <= Options.WholeImagePixels;
        var (tileH, tileW) = whole ? (ph, pw) : TileShape(ph, pw, NetworkPadding.RoundUp(Options.TileSize, multiple), Options.Overlap, multiple);
        var ys = Starts(ph, tileH, Options.Overlap);
        var xs = Starts(pw, tileW, Options.Overlap);
        // Tile weights are separable and the tiles form a grid, so the sum of weights is separable too: normalising
        // each axis' ramps by their sum replaces a weight plane and the final division.
        var rowWeights = AxisWeights(ys, tileH, ph, height);
        var colWeights = AxisWeights(xs, tileW, pw, width);
        var tiles = ys.Select((y, i) => (y, i)).SelectMany(r => xs.Select((x, j) => (r.y, r.i, x, j))).ToList();

        // Estimated before any tile and given to each, so that tiles decide as the whole image would.
        ImageStatistics? statistics;
        using (Times?.Measure("statistics"))
            statistics = model.UsesImageStatistics ? model.EstimateStatistics(Sample(height, width, crop).to(device)) : null;
        int perBatch = batch == 1 ? Options.BatchTiles : 1;
        for (int start = 0; start < tiles.Count; start += perBatch)
        {
            if (start > 0) ReleaseFreedMemory();
            using var scope = torch.NewDisposeScope();
            var group = tiles.Skip(start).Take(perBatch).ToList();
            Tensor input, result;
            using (Times?.Measure("tile input"))
            {
                // A whole-image input is the largest tensor of the merge: a border tile comes padded from the crop
                // (replicate), and otherwise each stage's source is released as soon as the next is built.
                var inputs = group.Select(t =>
                {
                    long h = Math.Min(tileH, height - t.y), w = Math.Min(tileW, width - t.x);
                    if (h == tileH && w == tileW) return crop(new TileRegion(t.y, t.x, h, w));
                    if (mode == PaddingModes.Replicate) return crop(new TileRegion(t.y, t.x, h, w, PaddedHeight: tileH, PaddedWidth: tileW));
                    return Kept.Replacing(crop(new TileRegion(t.y, t.x, h, w)), x => PadTo(x, tileH, tileW, mode));
                }).ToArray();
                input = inputs.Length == 1 ? inputs[0] : torch.cat(inputs, 0);
                if (inputs.Length > 1) foreach (var part in inputs) part.Dispose();
                input = Kept.Replacing(input, x => x.to(device));
            }
            using (Times?.Measure("forward"))
                result = model.forward(input, statistics).to(torch.CPU);
            using var blend = Times?.Measure("blend");
            for (int i = 0; i < group.Count; i++)
            {
                var (y, iy, x, ix) = group[i];
                long h = Math.Min(tileH, height - y), w = Math.Min(tileW, width - x);
                var weight = rowWeights[iy].narrow(0, 0, h).view(1, 1, h, 1) * colWeights[ix].narrow(0, 0, w).view(1, 1, 1, w);
                var tileOut = result.narrow(0, i * batch, batch).narrow(2, 0, h).narrow(3, 0, w);
                output.narrow(2, y, h).narrow(3, x, w).add_(tileOut * weight);
            }
            progress?.Invoke(new TileProgress(Math.Min(start + perBatch, tiles.Count), tiles.Count));
        }
    }

    /// <summary>Resident memory above which freed memory is handed back to the system between tiles (see <see cref="NativeHeap"/>).</summary>
    public const long TrimAboveBytes = 1L << 30;

    /// <summary>Between two batches of tiles, once the previous batch's tensors are disposed: keeps the heap from growing over many tiles.</summary>
    private void ReleaseFreedMemory()
    {
        using (Times?.Measure("trim")) NativeHeap.TrimAbove(TrimAboveBytes);
    }

    /// <summary>
    /// <see cref="ImageStatistics.Sample"/> of the whole unpadded input, as one strided region: a few percent of the
    /// input's size, never the input itself.
    /// </summary>
    private static Tensor Sample(long height, long width, Func<TileRegion, Tensor> crop)
    {
        int stride = ImageStatistics.SampleStride(height, width);
        return crop(new TileRegion(0, 0, (height + stride - 1) / stride, (width + stride - 1) / stride, stride)).contiguous();
    }

    /// <summary>A crop of a whole-input tensor brought to the region's padded size (<see cref="TileRegion.PaddedHeight"/>), as the region asks.</summary>
    private static Tensor ReplicateTo(Tensor crop, TileRegion region) =>
        region.OutputHeight == region.Height && region.OutputWidth == region.Width ? crop : PadTo(crop, region.OutputHeight, region.OutputWidth, PaddingModes.Replicate);

    /// <summary>A border tile, cut short by the image edge, brought to the tile size at its bottom and right (as padding the whole image would).</summary>
    private static Tensor PadTo(Tensor tile, long height, long width, PaddingModes mode)
    {
        long b = tile.shape[0], n = tile.shape[1], c = tile.shape[2], h = tile.shape[3], w = tile.shape[4];
        return torch.nn.functional.pad(tile.reshape(b, n * c, h, w), [0, width - w, 0, height - h], mode).reshape(b, n, c, height, width);
    }

    /// <summary>
    /// The tile height and width that cover a padded <paramref name="height"/> × <paramref name="width"/> image with the
    /// fewest pixels run through the network, each tile holding at most <paramref name="side"/>² pixels (what bounds a
    /// tile's memory) and no side shorter than half of <paramref name="side"/> unless it spans the axis. Square
    /// <paramref name="side"/> tiles waste most of their area on a size just over one: 1920×1088 in 1024² tiles with
    /// overlap 256 takes 3 × 2 tiles (6.3 MP through the network), 832 × 1088 tiles take 3 (2.7 MP).
    /// </summary>
    internal static (long Height, long Width) TileShape(long height, long width, long side, long overlap, int multiple)
    {
        long budget = side * side, shortest = Math.Max(overlap + multiple, NetworkPadding.RoundUp((int)(side / 2), multiple));
        List<long> Sides(long size)
        {
            var sides = new SortedSet<long>();
            for (long n = 1; n <= size; n++)
            {
                long t = Math.Min(size, NetworkPadding.RoundUp((int)Math.Ceiling((size + (n - 1) * (double)overlap) / n), multiple));
                if (t < shortest && t < size) break;
                sides.Add(t);
            }
            return [.. sides];
        }
        (long, long) best = (Math.Min(side, height), Math.Min(side, width));
        long bestCost = Cost(best.Item1, best.Item2);
        foreach (long th in Sides(height))
            foreach (long tw in Sides(width))
            {
                if (th * tw > budget) continue;
                long cost = Cost(th, tw);
                if (cost < bestCost) (best, bestCost) = ((th, tw), cost);
            }
        return best;

        long Cost(long th, long tw) => Starts(height, th, overlap).Count * th * Starts(width, tw, overlap).Count * tw;
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
    /// Per tile along one axis, its ramp divided by the sum of all tiles' ramps at each position, over the part of
    /// the tile inside the image (the first <paramref name="size"/> of <paramref name="padded"/> positions).
    /// </summary>
    private Tensor[] AxisWeights(List<long> starts, long tile, long padded, long size)
    {
        var ramps = starts.Select((s, k) => Ramp(tile, k > 0, k < starts.Count - 1)).ToArray();
        var sum = new double[padded];
        for (int k = 0; k < starts.Count; k++)
            for (long i = 0; i < tile; i++) sum[starts[k] + i] += ramps[k][i];
        return starts.Select((s, k) =>
        {
            long inside = Math.Min(tile, size - s);
            var values = new float[inside];
            for (long i = 0; i < inside; i++) values[i] = (float)(ramps[k][i] / sum[s + i]);
            return torch.tensor(values);
        }).ToArray();
    }

    /// <summary>
    /// One tile's ramp along an axis: 1 inside; towards an edge shared with a neighbour, zero over the outer quarter
    /// of the overlap (where the network saw the tile border) and a raised cosine over the next half. Image borders
    /// keep weight 1.
    /// </summary>
    private double[] Ramp(long length, bool start, bool end)
    {
        var values = new double[length];
        double margin = Options.Overlap / 4.0, ramp = Options.Overlap / 2.0;
        for (long i = 0; i < length; i++)
        {
            double v = 1.0;
            if (start) v = Math.Min(v, Fade(i + 0.5, margin, ramp));
            if (end) v = Math.Min(v, Fade(length - i - 0.5, margin, ramp));
            values[i] = v;
        }
        return values;
    }

    private static double Fade(double distance, double margin, double ramp) =>
        distance < margin ? 0.0
        : distance >= margin + ramp || ramp == 0 ? 1.0
        : 0.5 - 0.5 * Math.Cos(Math.PI * (distance - margin) / ramp);
}

