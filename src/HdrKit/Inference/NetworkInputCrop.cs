using System.Runtime.InteropServices;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Inference;

/// <summary>
/// One tile of <see cref="NetworkInput.Build(Bracket, NetworkInputSpec)"/>'s tensor, packed straight from the frames,
/// so tiled inference never holds the whole [1, N, 6, H, W] input (at 24 MP, 1.7 GB for three exposures).
/// </summary>
public sealed class NetworkInputCrop
{
    private readonly IReadOnlyList<FloatImage>? frames;
    private readonly IReadOnlyList<CodeImage>? codes;
    private readonly (float[] Ldr, float[] Linear)[]? tables;
    private readonly double[] times;
    private readonly InputOrder order;

    /// <summary>Packs from the bracket's codes when it has them (no float frames), else from its float frames.</summary>
    public NetworkInputCrop(Bracket bracket, NetworkInputSpec spec)
    {
        var sorted = bracket.SortedByExposure();
        times = NetworkInput.ExposureTimes(sorted, spec.ExposureTimeOrigin);
        order = spec.Order;
        (Count, Width, Height) = (sorted.Count, sorted.Width, sorted.Height);
        if (sorted.Codes is { } c)
        {
            codes = c;
            tables = c.Select((frame, i) => SixChannelPacking.Tables(frame, times[i])).ToArray();
        }
        else
        {
            frames = sorted.Frames;
            if (frames.Any(f => f.Channels != 3 || f.Width != Width || f.Height != Height))
                throw new ArgumentException("frames must all be 3-channel images of the same size");
        }
    }

    public int Count { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// The [1, N, 6, region height, region width] float32 CPU input of one region, equal to that crop (strided by its
    /// step) of the whole input; at the region's padded size when it has one, the last row and column repeated.
    /// </summary>
    public Tensor Crop(TileRegion region)
    {
        int y0 = (int)region.Y, x0 = (int)region.X, h = (int)region.Height, w = (int)region.Width, step = (int)region.Step, n = Count;
        if (y0 < 0 || x0 < 0 || h < 1 || w < 1 || step < 1 || region.Bottom > Height || region.Right > Width)
            throw new ArgumentOutOfRangeException(nameof(region), region, $"outside the {Width}×{Height} image");
        int ph = (int)region.OutputHeight, pw = (int)region.OutputWidth, plane = ph * pw, frameSize = 6 * plane;
        // Packed straight into the tensor's native memory: a managed array per tile would be copied by
        // torch.tensor and then left to a garbage collector that does not see libtorch's memory pressure.
        var tile = torch.empty([1, n, 6, ph, pw], ScalarType.Float32);
        var (ldrAt, linearAt) = SixChannelPacking.Offsets(order);
        Parallel.For(0, n * 3, job =>
        {
            int i = job / 3, c = job % 3;
            var data = MemoryMarshal.Cast<byte, float>(tile.bytes);
            for (int y = 0; y < h; y++)
            {
                var ldr = data.Slice(i * frameSize + (ldrAt + c) * plane + y * pw, w);
                var linear = data.Slice(i * frameSize + (linearAt + c) * plane + y * pw, w);
                int row = y0 + y * step;
                if (codes != null)
                {
                    codes[i].MapRow(c, row, x0, tables![i].Ldr, ldr, step);
                    codes[i].MapRow(c, row, x0, tables[i].Linear, linear, step);
                }
                else if (step == 1) SixChannelPacking.PackPlane(frames![i].Row(c, row).Slice(x0, w), times[i], ldr, linear);
                else
                {
                    var source = frames![i].Row(c, row);
                    for (int x = 0; x < w; x++) ldr[x] = source[x0 + x * step];
                    SixChannelPacking.PackPlane(ldr, times[i], ldr, linear);
                }
            }
            foreach (int at in new[] { ldrAt + c, linearAt + c })
                ReplicateEdges(data.Slice(i * frameSize + at * plane, plane), h, w, pw);
        });
        return tile;
    }

    // The plane's first h rows hold w samples each (row stride pw): repeat each row's last sample to pw, then the last
    // row to the plane's end.
    private static void ReplicateEdges(Span<float> plane, int h, int w, int pw)
    {
        if (w < pw)
            for (int y = 0; y < h; y++)
                plane.Slice(y * pw + w, pw - w).Fill(plane[y * pw + w - 1]);
        var last = plane.Slice((h - 1) * pw, pw);
        for (int start = h * pw; start < plane.Length; start += pw)
            last.CopyTo(plane.Slice(start, pw));
    }
}
