using HdrKit.Exposure;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Procedural moving scenes that need no files: a smooth background with blobs spanning ~8 stops (some
/// bright enough to clip the long exposure), a camera shake between exposures and one object that moves on
/// its own, rendered through the gamma-2.2 camera model with 8-bit quantisation. Not a substitute for real
/// data — it exists so `hdrkit train` and the trainer's tests run anywhere, and as a smoke corpus.
/// The real corpus (Kalantari-layout scenes, the bracket simulator over HDRIs) comes from HdrKit.Data.
/// </summary>
public sealed class SyntheticBracketSource : ITrainingBatchSource, IValidationSource
{
    private readonly DataConfig _config;
    private readonly NetworkInputSpec _spec;
    private readonly long _seed;

    public SyntheticBracketSource(DataConfig config, NetworkInputSpec spec, long seed)
    {
        if (!spec.Accepts(config.Stops.Length))
            throw new ArgumentException($"the model does not take {config.Stops.Length} exposures (data.stops)");
        _config = config; _spec = spec; _seed = seed;
    }

    public int BatchesPerEpoch => _config.BatchesPerEpoch ?? 100;

    public int Count => _config.ValidationScenes;

    public TrainingBatch GetBatch(int epoch, int index, Device device)
    {
        int b = _config.BatchSize, s = RoundToMultiple(_config.PatchSize), n = _config.Stops.Length;
        var input = new float[b * n * 6 * s * s];
        var target = new float[b * 3 * s * s];
        for (int i = 0; i < b; i++)
        {
            var rng = new Random(Seeds.Derive(_seed, 1, epoch, index, i));
            Render(rng, s, input.AsSpan(i * n * 6 * s * s, n * 6 * s * s), target.AsSpan(i * 3 * s * s, 3 * s * s));
        }
        return new TrainingBatch(
            torch.tensor(input, new long[] { b, n, 6, s, s }).to(device),
            torch.tensor(target, new long[] { b, 3, s, s }).to(device));
    }

    public ValidationSample Get(int index, Device device)
    {
        int s = _config.ValidationSize, n = _config.Stops.Length; // any size: Predict pads
        var input = new float[n * 6 * s * s];
        var target = new float[3 * s * s];
        Render(new Random(Seeds.Derive(_seed, 2, index, 0, 0)), s, input, target);
        return new ValidationSample($"synthetic-{index:D2}",
            torch.tensor(input, new long[] { 1, n, 6, s, s }).to(device),
            torch.tensor(target, new long[] { 1, 3, s, s }).to(device));
    }

    private int RoundToMultiple(int size) => (size + _spec.PadMultiple - 1) / _spec.PadMultiple * _spec.PadMultiple;

    private void Render(Random rng, int s, Span<float> input, Span<float> target)
    {
        int m = _config.MaxMotion, c = s + 2 * m, n = _config.Stops.Length, reference = n / 2;
        var background = Background(rng, c);
        var obj = new Blob(rng, c, 0.1, 0.35);
        double vx = (rng.NextDouble() * 2 - 1) * m, vy = (rng.NextDouble() * 2 - 1) * m;
        double minStop = _config.Stops.Min();

        for (int e = 0; e < n; e++)
        {
            int dx = e == reference ? 0 : rng.Next(-m, m + 1), dy = e == reference ? 0 : rng.Next(-m, m + 1);
            double shift = e - reference;
            double t = Math.Pow(2, _config.Stops[e]);
            double tIn = Math.Pow(2, _spec.ExposureTimeOrigin == ExposureTimeOrigin.ShortestIsOne ? _config.Stops[e] - minStop : _config.Stops[e]);
            var frame = input.Slice(e * 6 * s * s, 6 * s * s);
            int ldrOffset = _spec.Order == InputOrder.LdrFirst ? 0 : 3, linOffset = 3 - ldrOffset;
            for (int y = 0; y < s; y++)
                for (int x = 0; x < s; x++)
                {
                    int cx = x + m + dx, cy = y + m + dy;
                    for (int ch = 0; ch < 3; ch++)
                    {
                        double h = obj.Covers(cx - vx * shift, cy - vy * shift) ? obj.Color[ch] : background[(ch * c + cy) * c + cx];
                        float ldr = MathF.Round(GammaResponse.ToLdr((float)h, t) * 255f) / 255f;
                        frame[((ldrOffset + ch) * s + y) * s + x] = ldr;
                        frame[((linOffset + ch) * s + y) * s + x] = GammaResponse.ToLinear(ldr, tIn);
                        if (e == reference) target[(ch * s + y) * s + x] = (float)h;
                    }
                }
        }
    }

    /// <summary>Radiance in (0, 1]: a dim colour gradient plus blobs from 2^-8 to 1 (highlights clip at +2 EV).</summary>
    private static float[] Background(Random rng, int c)
    {
        var img = new float[3 * c * c];
        var blobs = Enumerable.Range(0, 6).Select(_ => new Blob(rng, c, 0.08, 0.3)).ToArray();
        var baseColor = Enumerable.Range(0, 3).Select(_ => Math.Pow(2, -8 + 4 * rng.NextDouble())).ToArray();
        double gx = rng.NextDouble() * 2 - 1, gy = rng.NextDouble() * 2 - 1;
        for (int y = 0; y < c; y++)
            for (int x = 0; x < c; x++)
            {
                double ramp = Math.Pow(2, 2 * (gx * x + gy * y) / c);
                for (int ch = 0; ch < 3; ch++)
                {
                    double v = baseColor[ch] * ramp;
                    foreach (var b in blobs) v += b.Weight(x, y) * b.Color[ch];
                    img[(ch * c + y) * c + x] = (float)Math.Clamp(v, 1e-5, 1.0);
                }
            }
        return img;
    }

    private sealed class Blob
    {
        private readonly double _x, _y, _r;
        public double[] Color { get; }

        public Blob(Random rng, int canvas, double minRadius, double maxRadius)
        {
            _x = rng.NextDouble() * canvas; _y = rng.NextDouble() * canvas;
            _r = canvas * (minRadius + (maxRadius - minRadius) * rng.NextDouble());
            double level = Math.Pow(2, -8 * rng.NextDouble());
            Color = Enumerable.Range(0, 3).Select(_ => level * (0.5 + 0.5 * rng.NextDouble())).ToArray();
        }

        public double Weight(double x, double y)
        {
            double d2 = ((x - _x) * (x - _x) + (y - _y) * (y - _y)) / (_r * _r);
            return Math.Exp(-2 * d2);
        }

        public bool Covers(double x, double y) => (x - _x) * (x - _x) + (y - _y) * (y - _y) <= _r * _r;
    }
}
