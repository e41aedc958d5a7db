using HdrKit.Imaging;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Exposure;

/// <summary>
/// Packs LDR frames into the Kalantari-style network input: per exposure the LDR values and their linearisation
/// H = clip(LDR, 0, 1)^2.2 / t, in the order the network expects. Inference and the data loaders share it so a
/// trained network sees at inference exactly what it saw in training.
/// </summary>
public static class SixChannelPacking
{
    /// <summary>Channel offsets (0 or 3) of the LDR and the linear half within one exposure's 6 channels.</summary>
    public static (int Ldr, int Linear) Offsets(InputOrder order) => order == InputOrder.LinearFirst ? (3, 0) : (0, 3);

    /// <summary>Writes one colour plane's LDR values and linearisation (divided by the exposure time) side by side.</summary>
    public static void PackPlane(ReadOnlySpan<float> ldrPlane, double exposureTime, Span<float> ldr, Span<float> linear)
    {
        float invT = (float)(1.0 / exposureTime);
        for (int k = 0; k < ldrPlane.Length; k++)
        {
            float v = ldrPlane[k];
            ldr[k] = v;
            linear[k] = MathF.Pow(Math.Clamp(v, 0f, 1f), GammaResponse.Gamma) * invT;
        }
    }

    /// <summary>
    /// <see cref="PackPlane"/> of every code of <paramref name="codes"/>, as tables indexed by code: packing a frame's
    /// codes through them gives the same samples as packing its float frame, without a power per sample.
    /// </summary>
    public static (float[] Ldr, float[] Linear) Tables(CodeImage codes, double exposureTime)
    {
        var ldr = codes.ValueTable();
        var linear = new float[ldr.Length];
        PackPlane(ldr, exposureTime, ldr, linear);
        return (ldr, linear);
    }

    /// <summary>[1, N, 6, H, W] float32 CPU tensor from equally sized frames and their network-domain exposure times.</summary>
    public static Tensor Pack(IReadOnlyList<FloatImage> frames, IReadOnlyList<double> exposureTimes, InputOrder order)
    {
        if (frames.Count == 0 || frames.Count != exposureTimes.Count)
            throw new ArgumentException($"need one exposure time per frame, got {frames.Count} frames and {exposureTimes.Count} times");
        int n = frames.Count, width = frames[0].Width, height = frames[0].Height, plane = width * height, frameSize = 6 * plane;
        if (frames.Any(f => f.Width != width || f.Height != height || f.Channels != 3))
            throw new ArgumentException("frames must all be 3-channel images of the same size");
        var data = new float[n * frameSize];
        var (ldrAt, linearAt) = Offsets(order);
        Parallel.For(0, n * 3, job =>
        {
            int i = job / 3, c = job % 3;
            PackPlane(frames[i].Plane(c), exposureTimes[i],
                data.AsSpan(i * frameSize + (ldrAt + c) * plane, plane), data.AsSpan(i * frameSize + (linearAt + c) * plane, plane));
        });
        return torch.tensor(data, new long[] { 1, n, 6, height, width }, ScalarType.Float32);
    }
}
