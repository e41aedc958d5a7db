using HdrKit.Util;
using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// How an H×W token grid is cut into (shifted) windows, precomputed once per (H, W, window, shift, device)
/// and shared by every block that needs it.
///
/// The reference rolls the grid, partitions it (a permute + copy), attends, reverses and rolls back: four
/// copies per block. Roll followed by partition is just a fixed permutation of the H·W tokens, so one
/// index_select gathers the windows and one index_select with the inverse permutation puts them back.
/// The SW-MSA mask (−100 between tokens that came from different regions of the rolled grid, as in
/// Swin) is built here too instead of once per block per forward.
/// </summary>
public sealed class WindowLayout
{
    // Large inputs give large masks ([windows, N, N] floats: ~385 MB at 1504×1000), so keep only a few.
    private const int MaxCached = 4;
    private static readonly ConcurrentDictionary<(long H, long W, int Window, int Shift, string Device), WindowLayout> Cache = new();
    private static readonly object Gate = new();

    /// <summary>Row-major token index (into H·W) of each token in window order: windows row-major, then tokens inside.</summary>
    public Tensor Gather { get; }
    /// <summary>Inverse of <see cref="Gather"/>: the position in window order of each row-major token.</summary>
    public Tensor Scatter { get; }
    /// <summary>[windows, N, N] additive mask for shifted windows; null when unshifted.</summary>
    public Tensor? ShiftMask { get; }
    public long Windows { get; }

    private WindowLayout(long h, long w, int window, int shift, Device device)
    {
        if (h % window != 0 || w % window != 0)
            throw new ArgumentException($"window attention needs height and width that are multiples of {window}, got {h}×{w}; pad the input (InputSpec.PadMultiple)");
        long nh = h / window, nw = w / window;
        Windows = nh * nw;
        var gather = new long[h * w];
        var region = new float[h * w];
        long p = 0;
        for (long wy = 0; wy < nh; wy++)
            for (long wx = 0; wx < nw; wx++)
                for (long y = 0; y < window; y++)
                    for (long x = 0; x < window; x++, p++)
                    {
                        // Rolled position (wy·ws + y, wx·ws + x) holds the source token shifted by +shift.
                        long ry = wy * window + y, rx = wx * window + x;
                        long sy = (ry + shift) % h, sx = (rx + shift) % w;
                        gather[p] = sy * w + sx;
                        region[p] = RegionId(ry, h, window, shift) * 3 + RegionId(rx, w, window, shift);
                    }
        var scatter = new long[h * w];
        for (long i = 0; i < gather.LongLength; i++) scatter[gather[i]] = i;
        Gather = tensor(gather, device: device).DetachFromDisposeScope();
        Scatter = tensor(scatter, device: device).DetachFromDisposeScope();
        if (shift > 0)
        {
            using var scope = NewDisposeScope();
            var ids = tensor(region).view(Windows, (long)window * window);
            var differs = ids.unsqueeze(1).ne(ids.unsqueeze(2));
            ShiftMask = zeros(differs.shape).masked_fill(differs, Scalars.Of(-100f)).to(device).MoveToOuterDisposeScope().DetachFromDisposeScope();
        }
    }

    /// <summary>Which of the Swin mask's three slices (0:-ws, -ws:-shift, -shift:) a rolled coordinate falls in.</summary>
    private static int RegionId(long coord, long size, int window, int shift) =>
        shift == 0 ? 0 : coord < size - window ? 0 : coord < size - shift ? 1 : 2;

    public static WindowLayout Get(long h, long w, int window, int shift, Device device)
    {
        var key = (h, w, window, shift, device.ToString());
        if (Cache.TryGetValue(key, out var hit)) return hit;
        lock (Gate)
        {
            if (Cache.TryGetValue(key, out hit)) return hit;
            if (Cache.Count >= MaxCached) Cache.Clear(); // rare (new image size); tensors still in use stay alive through their holders
            var layout = new WindowLayout(h, w, window, shift, device);
            Cache[key] = layout;
            return layout;
        }
    }
}
