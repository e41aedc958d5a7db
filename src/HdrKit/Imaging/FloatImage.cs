using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Imaging;

/// <summary>
/// A planar (channel, row, column) float image. Holds linear radiance, camera-encoded LDR values in [0,1] or
/// display values, depending on where it came from; the type does not track which. Planar because every
/// consumer (tensors, per-channel merges, metrics) walks one channel at a time.
/// </summary>
public sealed class FloatImage
{
    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    /// <summary>Samples in CHW order: index = (c * Height + y) * Width + x.</summary>
    public float[] Data { get; }

    public FloatImage(int width, int height, int channels, float[]? data = null)
    {
        if (width <= 0 || height <= 0 || channels <= 0)
            throw new ArgumentException($"image size must be positive, got {width}x{height}x{channels}");
        long n = (long)width * height * channels;
        if (n > Array.MaxLength) throw new ArgumentException($"image {width}x{height}x{channels} is too large");
        if (data != null && data.Length != n)
            throw new ArgumentException($"data has {data.Length} samples, expected {n}");
        Width = width; Height = height; Channels = channels;
        Data = data ?? new float[n];
    }

    public int PixelCount => Width * Height;

    public float this[int c, int y, int x]
    {
        get => Data[(c * Height + y) * Width + x];
        set => Data[(c * Height + y) * Width + x] = value;
    }

    public Span<float> Plane(int c) => Data.AsSpan(c * PixelCount, PixelCount);
    public Span<float> Row(int c, int y) => Data.AsSpan((c * Height + y) * Width, Width);

    public FloatImage Clone() => new(Width, Height, Channels, (float[])Data.Clone());

    /// <summary>Multiplies every sample by <paramref name="factor"/> (a change of radiance unit); returns this image.</summary>
    public FloatImage ScaleInPlace(float factor)
    {
        var d = Data;
        for (int i = 0; i < d.Length; i++) d[i] *= factor;
        return this;
    }

    public bool SameSize(FloatImage other) => other.Width == Width && other.Height == Height;

    /// <summary>Builds from interleaved (HWC) samples, the order every file format stores.</summary>
    public static FloatImage FromInterleaved(ReadOnlySpan<float> hwc, int width, int height, int channels)
    {
        var img = new FloatImage(width, height, channels);
        int n = width * height;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                img.Data[c * n + i] = hwc[i * channels + c];
        return img;
    }

    public float[] ToInterleaved()
    {
        int n = PixelCount;
        var hwc = new float[n * Channels];
        for (int c = 0; c < Channels; c++)
        {
            var plane = Plane(c);
            for (int i = 0; i < n; i++) hwc[i * Channels + c] = plane[i];
        }
        return hwc;
    }

    /// <summary>A [C,H,W] float32 tensor on the CPU holding a copy of the samples.</summary>
    public Tensor ToTensor() => torch.tensor(Data, new long[] { Channels, Height, Width }, ScalarType.Float32);

    /// <summary>Copies a [C,H,W] or [1,C,H,W] tensor (any device, any float type) into a new image.</summary>
    public static FloatImage FromTensor(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var x = t.dim() == 4 ? t.squeeze(0) : t;
        if (x.dim() != 3) throw new ArgumentException($"expected a [C,H,W] tensor, got shape [{string.Join(",", t.shape)}]");
        x = x.detach().to(ScalarType.Float32).cpu().contiguous();
        var data = x.data<float>().ToArray();
        return new FloatImage((int)x.shape[2], (int)x.shape[1], (int)x.shape[0], data);
    }

    /// <summary>First index of a NaN, infinite or negative sample, or -1. Radiance files must not hold them.</summary>
    public int FindInvalidRadiance()
    {
        var d = Data;
        // Every written image is checked: the vectorised minimum and maximum (NaN if any sample is NaN) clear a valid
        // one in a fraction of the scalar scan's time, which then only runs to say where the bad sample is.
        if (d.Length == 0 || (System.Numerics.Tensors.TensorPrimitives.Min(d) >= 0f && float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Max(d)))) return -1;
        for (int i = 0; i < d.Length; i++)
            if (!float.IsFinite(d[i]) || d[i] < 0f) return i;
        return -1;
    }

    public (int c, int y, int x) Unravel(int index)
    {
        int c = index / PixelCount, r = index % PixelCount;
        return (c, r / Width, r % Width);
    }
}
