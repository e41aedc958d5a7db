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
    private readonly IReadOnlyList<FloatImage> frames;
    private readonly double[] times;
    private readonly InputOrder order;

    public NetworkInputCrop(Bracket bracket, NetworkInputSpec spec)
    {
        var sorted = bracket.SortedByExposure();
        frames = sorted.Frames;
        times = NetworkInput.ExposureTimes(sorted, spec.ExposureTimeOrigin);
        order = spec.Order;
        if (frames.Any(f => f.Channels != 3 || f.Width != frames[0].Width || f.Height != frames[0].Height))
            throw new ArgumentException("frames must all be 3-channel images of the same size");
    }

    public int Count => frames.Count;

    public int Width => frames[0].Width;

    public int Height => frames[0].Height;

    /// <summary>The [1, N, 6, region height, region width] float32 CPU input of one region, equal to that crop of the whole input.</summary>
    public Tensor Crop(TileRegion region)
    {
        int y0 = (int)region.Y, x0 = (int)region.X, h = (int)region.Height, w = (int)region.Width, n = frames.Count;
        if (y0 < 0 || x0 < 0 || h < 1 || w < 1 || y0 + h > Height || x0 + w > Width)
            throw new ArgumentOutOfRangeException(nameof(region), region, $"outside the {Width}×{Height} image");
        int plane = h * w, frameSize = 6 * plane;
        var data = new float[n * frameSize];
        var (ldrAt, linearAt) = SixChannelPacking.Offsets(order);
        Parallel.For(0, n * 3, job =>
        {
            int i = job / 3, c = job % 3;
            for (int y = 0; y < h; y++)
                SixChannelPacking.PackPlane(frames[i].Row(c, y0 + y).Slice(x0, w), times[i],
                    data.AsSpan(i * frameSize + (ldrAt + c) * plane + y * w, w), data.AsSpan(i * frameSize + (linearAt + c) * plane + y * w, w));
        });
        return torch.tensor(data, new long[] { 1, n, 6, h, w }, ScalarType.Float32);
    }
}
