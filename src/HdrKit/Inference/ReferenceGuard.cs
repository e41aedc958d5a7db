using HdrKit.Classical;
using HdrKit.Imaging;

namespace HdrKit.Inference;

/// <summary>
/// Catches a network merge that trusted an exposure it could not align. Whatever the camera, the reference frame's
/// code is one increasing function of the scene radiance per channel (its tone curve), and a merge that follows
/// the reference reproduces that relation everywhere. The guard fits the curve from the merge itself — the median
/// reference code in each radiance bin, made monotone, with the bin's spread — so a JPEG bracket whose response
/// is not the γ 2.2 the networks assume costs nothing; ghosts are a minority of the pixels and do not move the
/// medians. Pixels far off the curve (the window behind a moving player showing through his face: radiance of
/// code 0.9 where the reference reads 0.15) are where the network pasted in content the reference does not have;
/// dilated and feathered like the classical ghost mask, they are filled from the classical reference-guided merge
/// by <see cref="NetworkMerger"/>.
/// </summary>
public sealed class ReferenceGuard(ReferenceGuardOptions? options = null)
{
    private const int RadianceBins = 64;
    private const int CodeLevels = 256;
    private const int MinBinCount = 32;
    private const float Epsilon = 1e-4f;

    public ReferenceGuardOptions Options { get; } = options ?? new ReferenceGuardOptions();

    /// <summary>
    /// One-channel mask in [0,1] of where <paramref name="radiance"/> (any positive scale) contradicts the codes of
    /// <paramref name="reference"/>, the frame whose geometry it must follow.
    /// </summary>
    public FloatImage Detect(FloatImage radiance, FloatImage reference)
    {
        Options.Validate();
        if (radiance.Width != reference.Width || radiance.Height != reference.Height || radiance.Channels != reference.Channels)
            throw new ArgumentException($"the merge is {radiance.Width}x{radiance.Height}x{radiance.Channels}, the reference {reference.Width}x{reference.Height}x{reference.Channels}");
        int w = radiance.Width, h = radiance.Height, plane = w * h;
        var contradicts = new byte[plane];
        for (int c = 0; c < radiance.Channels; c++)
        {
            var curve = ToneCurve.Fit(radiance.Plane(c), reference.Plane(c), Options);
            int offset = c * plane;
            var r = radiance.Data;
            var z = reference.Data;
            Parallel.For(0, h, y =>
            {
                for (int p = y * w, end = p + w; p < end; p++)
                    if (curve.Contradicts(r[offset + p], z[offset + p])) contradicts[p] = 1;
            });
        }
        var solid = KeepMajority(contradicts, w, h);
        var soft = MaskFilters.Soften(solid, w, h, Options.DilateRadius, Options.FeatherRadius);
        var mask = new FloatImage(w, h, 1);
        soft.CopyTo(mask.Data, 0);
        return mask;
    }

    /// <summary>Median reference code and tolerance per log-radiance bin, monotone, interpolated between bin centres.</summary>
    private sealed class ToneCurve
    {
        private readonly float _low, _scale;
        private readonly float[] _code = new float[RadianceBins];
        private readonly float[] _tolerance = new float[RadianceBins];

        private ToneCurve(float low, float high)
        {
            _low = low;
            _scale = RadianceBins / MathF.Max(high - low, 1e-3f);
        }

        public static ToneCurve Fit(ReadOnlySpan<float> radiance, ReadOnlySpan<float> codes, ReferenceGuardOptions o)
        {
            float max = 0;
            foreach (var v in radiance) if (v > max) max = v;
            var curve = new ToneCurve(MathF.Log2(Epsilon), MathF.Log2(max + Epsilon));
            var histogram = new int[RadianceBins, CodeLevels];
            var counts = new int[RadianceBins];
            for (int p = 0; p < radiance.Length; p++)
            {
                int b = Math.Clamp((int)curve.Position(radiance[p]), 0, RadianceBins - 1);
                histogram[b, Math.Clamp((int)MathF.Round(codes[p] * (CodeLevels - 1)), 0, CodeLevels - 1)]++;
                counts[b]++;
            }
            var known = new bool[RadianceBins];
            for (int b = 0; b < RadianceBins; b++)
            {
                if (counts[b] < MinBinCount) continue;
                float median = Quantile(histogram, b, counts[b], 0.5);
                // MAD from the histogram of |code − median|: the 25th/75th percentiles bound it well enough here.
                float spread = (Quantile(histogram, b, counts[b], 0.75) - Quantile(histogram, b, counts[b], 0.25)) / 2;
                curve._code[b] = median;
                curve._tolerance[b] = MathF.Max(o.MinTolerance, o.Spread * 1.4826f * spread);
                known[b] = true;
            }
            FillGaps(curve._code, curve._tolerance, known);
            for (int b = 1; b < RadianceBins; b++) curve._code[b] = MathF.Max(curve._code[b], curve._code[b - 1]); // a tone curve never falls
            return curve;
        }

        public bool Contradicts(float radiance, float code)
        {
            float t = Math.Clamp(Position(radiance) - 0.5f, 0, RadianceBins - 1);
            int b0 = (int)t, b1 = Math.Min(b0 + 1, RadianceBins - 1);
            float f = t - b0;
            float expected = _code[b0] + f * (_code[b1] - _code[b0]);
            float tolerance = _tolerance[b0] + f * (_tolerance[b1] - _tolerance[b0]);
            return MathF.Abs(code - expected) > tolerance;
        }

        private float Position(float radiance) => (MathF.Log2(MathF.Max(radiance, 0) + Epsilon) - _low) * _scale;

        private static float Quantile(int[,] histogram, int bin, int count, double q)
        {
            long target = (long)Math.Ceiling(q * count), seen = 0;
            for (int level = 0; level < CodeLevels; level++)
            {
                seen += histogram[bin, level];
                if (seen >= target) return level / (float)(CodeLevels - 1);
            }
            return 1f;
        }

        /// <summary>Bins with too few pixels take their nearest populated neighbour's values (with none at all: accept everything).</summary>
        private static void FillGaps(float[] code, float[] tolerance, bool[] known)
        {
            if (!known.Any(k => k))
            {
                Array.Fill(code, 0.5f);
                Array.Fill(tolerance, 1f);
                return;
            }
            for (int b = 0; b < code.Length; b++)
            {
                if (known[b]) continue;
                int left = b - 1, right = b + 1;
                while (left >= 0 && !known[left]) left--;
                while (right < code.Length && !known[right]) right++;
                int source = left < 0 ? right : right >= code.Length ? left : (b - left <= right - b ? left : right);
                code[b] = code[source];
                tolerance[b] = tolerance[source];
            }
        }
    }

    /// <summary>(1 − m)·network + m·fallback, per pixel and channel.</summary>
    public static FloatImage Blend(FloatImage network, FloatImage fallback, FloatImage mask)
    {
        int plane = network.Width * network.Height;
        var result = network.Clone();
        var r = result.Data;
        var f = fallback.Data;
        var m = mask.Data;
        for (int c = 0; c < network.Channels; c++)
            for (int p = 0, k = c * plane; p < plane; p++, k++)
                r[k] += m[p] * (f[k] - r[k]);
        return result;
    }

    /// <summary>Fraction of pixels the mask at least half replaces.</summary>
    public static double Coverage(FloatImage mask) => MaskFilters.Coverage(mask.Data);

    /// <summary>Keeps a contradiction only where most of its 3×3 neighbourhood contradicts too: lone noise spikes go.</summary>
    private static byte[] KeepMajority(byte[] mask, int w, int h)
    {
        var result = new byte[mask.Length];
        Parallel.For(0, h, y =>
        {
            for (int x = 0; x < w; x++)
            {
                if (mask[y * w + x] == 0) continue;
                int count = 0;
                for (int dy = -1; dy <= 1; dy++)
                {
                    int yy = Math.Clamp(y + dy, 0, h - 1);
                    for (int dx = -1; dx <= 1; dx++) count += mask[yy * w + Math.Clamp(x + dx, 0, w - 1)];
                }
                if (count >= 5) result[y * w + x] = 1;
            }
        });
        return result;
    }
}
