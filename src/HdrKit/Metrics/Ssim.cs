using HdrKit.Util;
using System.Numerics;
using HdrKit.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Metrics;

/// <summary>
/// Structural similarity (Wang et al. 2004) in the variant scikit-image 0.19 computes with
/// <c>gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1</c>: 11×11 Gaussian window
/// (σ 1.5), K1 0.01, K2 0.03, population (co)variances, the SSIM map averaged over the pixels whose window lies
/// inside the image (a 5-pixel border is dropped), then averaged over channels. Because the border is dropped,
/// no padding mode is involved and the result does not depend on one. See docs/metrics.md.
/// </summary>
public static class Ssim
{
    public const double K1 = 0.01;
    public const double K2 = 0.03;
    private const double C1 = K1 * K1; // (K1 · data range)², data range 1
    private const double C2 = K2 * K2;
    private const int R = GaussianWindow.Radius;
    /// <summary>Output rows per parallel work item; the horizontal pass repeats 2·R rows per band.</summary>
    private const int BandRows = 64;

    /// <summary>Mean SSIM over channels.</summary>
    public static double Compute(FloatImage prediction, FloatImage groundTruth) =>
        PerChannel(prediction, groundTruth).Average();

    public static double[] PerChannel(FloatImage prediction, FloatImage groundTruth)
    {
        MetricGuard.SameShape(prediction, groundTruth);
        MetricGuard.SsimSize(prediction.Width, prediction.Height);
        int w = prediction.Width, h = prediction.Height, channels = prediction.Channels;
        int outRows = h - 2 * R, outCols = w - 2 * R;
        int bands = (outRows + BandRows - 1) / BandRows;

        // One partial sum per (channel, band), added up in a fixed order so the result does not depend on scheduling.
        var partial = new double[channels * bands];
        Parallel.For(0, channels * bands,
            () => new Workspace(w, outCols),
            (item, _, ws) =>
            {
                int c = item / bands, band = item % bands;
                int first = R + band * BandRows, last = Math.Min(h - R, first + BandRows);
                partial[item] = ws.SumBand(prediction, groundTruth, c, first, last);
                return ws;
            },
            _ => { });

        var result = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int b = 0; b < bands; b++) sum += partial[c * bands + b];
            result[c] = sum / ((double)outRows * outCols);
        }
        return result;
    }

    /// <summary>
    /// Per-image SSIM of [B,C,H,W] (or [C,H,W]) tensors, mean over channels, shape [B]. float32 inputs are
    /// computed in float32 (float64 stays float64); differentiable, so it also serves as a loss.
    /// </summary>
    public static Tensor Compute(Tensor prediction, Tensor groundTruth) =>
        PerChannel(prediction, groundTruth).mean(new long[] { 1 });

    /// <summary>Per-image, per-channel SSIM, shape [B,C].</summary>
    public static Tensor PerChannel(Tensor prediction, Tensor groundTruth)
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = MetricGuard.Batched(prediction, groundTruth);
        MetricGuard.SsimSize((int)x.shape[3], (int)x.shape[2]);
        var dtype = x.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        x = x.to(dtype);
        y = y.to(dtype);
        long c = x.shape[1];

        // Second moments of centred data: E[x²] − E[x]² on raw values near 1 would cancel most float32 digits.
        // Shifting by the per-image channel mean leaves (co)variances unchanged because the window sums to 1.
        var mx = x.mean(new long[] { 2, 3 }, keepdim: true);
        var my = y.mean(new long[] { 2, 3 }, keepdim: true);
        var xc = x - mx;
        var yc = y - my;
        var moments = torch.cat(new[] { xc, yc, xc * xc, yc * yc, xc * yc }, 1);
        var filtered = Blur(moments, dtype).chunk(5, 1);
        var ex = filtered[0];
        var ey = filtered[1];
        var ux = ex + mx;
        var uy = ey + my;
        var vx = filtered[2] - ex * ex;
        var vy = filtered[3] - ey * ey;
        var vxy = filtered[4] - ex * ey;
        var map = (Scalars.Of(2) * ux * uy + Scalars.Of(C1)) * (Scalars.Of(2) * vxy + Scalars.Of(C2)) / ((ux * ux + uy * uy + Scalars.Of(C1)) * (vx + vy + Scalars.Of(C2)));
        return map.mean(new long[] { 2, 3 }).MoveToOuterDisposeScope();
    }

    /// <summary>Valid (unpadded) separable Gaussian filtering of every channel: [B,K,H,W] → [B,K,H−10,W−10].</summary>
    private static Tensor Blur(Tensor t, ScalarType dtype)
    {
        long k = t.shape[1];
        using var taps = torch.tensor(GaussianWindow.Taps, dtype: dtype, device: t.device);
        using var vertical = taps.view(1, 1, GaussianWindow.Size, 1).expand(k, 1, GaussianWindow.Size, 1);
        using var horizontal = taps.view(1, 1, 1, GaussianWindow.Size).expand(k, 1, 1, GaussianWindow.Size);
        using var rows = torch.nn.functional.conv2d(t, vertical.contiguous(), groups: k);
        return torch.nn.functional.conv2d(rows, horizontal.contiguous(), groups: k);
    }

    /// <summary>Scratch buffers of one worker thread, reused across the bands it processes.</summary>
    private sealed class Workspace
    {
        private readonly int _outCols;
        // The five windowed moments (x, y, x², y², xy), row by row: raw samples, then after the horizontal pass.
        private readonly double[][] _raw;
        private double[][] _horizontal;
        private readonly double[][] _vertical;

        public Workspace(int width, int outCols)
        {
            _outCols = outCols;
            _raw = Five(width);
            _horizontal = Five(0);
            _vertical = Five(outCols);
        }

        private static double[][] Five(int n) => Enumerable.Range(0, 5).Select(_ => new double[n]).ToArray();

        /// <summary>Sum of the SSIM map of channel <paramref name="c"/> over output rows [first, last).</summary>
        public double SumBand(FloatImage a, FloatImage b, int c, int first, int last)
        {
            int w = a.Width, inRows = last - first + 2 * R;
            if (_horizontal[0].Length < inRows * _outCols) _horizontal = Five(inRows * _outCols);

            for (int r = 0; r < inRows; r++)
            {
                var xa = a.Row(c, first - R + r);
                var xb = b.Row(c, first - R + r);
                for (int i = 0; i < w; i++)
                {
                    double p = xa[i], q = xb[i];
                    _raw[0][i] = p;
                    _raw[1][i] = q;
                    _raw[2][i] = p * p;
                    _raw[3][i] = q * q;
                    _raw[4][i] = p * q;
                }
                for (int m = 0; m < 5; m++)
                    Correlate(_raw[m], 1, _horizontal[m].AsSpan(r * _outCols, _outCols));
            }

            double sum = 0;
            for (int r = 0; r < last - first; r++)
            {
                for (int m = 0; m < 5; m++)
                    Correlate(_horizontal[m].AsSpan(r * _outCols), _outCols, _vertical[m]);
                sum += SumMap(_vertical);
            }
            return sum;
        }

        /// <summary>
        /// dst[j] = Σ_k taps[k] · src[j + k·stride]: along a row with stride 1, down a column block with the row
        /// length as stride. Vectorised over j.
        /// </summary>
        private static void Correlate(ReadOnlySpan<double> src, int stride, Span<double> dst)
        {
            var taps = GaussianWindow.Taps;
            int n = dst.Length, lanes = Vector<double>.Count, j = 0;
            for (; j <= n - lanes; j += lanes)
            {
                var acc = Vector<double>.Zero;
                for (int k = 0; k < taps.Length; k++)
                    acc += new Vector<double>(src.Slice(j + k * stride, lanes)) * taps[k];
                acc.CopyTo(dst.Slice(j, lanes));
            }
            for (; j < n; j++)
            {
                double acc = 0;
                for (int k = 0; k < taps.Length; k++) acc += src[j + k * stride] * taps[k];
                dst[j] = acc;
            }
        }

        private static double SumMap(double[][] m)
        {
            double sum = 0;
            var (mx, my, exx, eyy, exy) = (m[0], m[1], m[2], m[3], m[4]);
            for (int j = 0; j < mx.Length; j++)
            {
                double ux = mx[j], uy = my[j];
                double vx = exx[j] - ux * ux, vy = eyy[j] - uy * uy, vxy = exy[j] - ux * uy;
                sum += (2 * ux * uy + C1) * (2 * vxy + C2) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
            }
            return sum;
        }
    }
}
