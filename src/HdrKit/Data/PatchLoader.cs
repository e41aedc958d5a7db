using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Data;

/// <summary>
/// An endless stream of training batches: random patches of scenes from an <see cref="ISceneSource"/>, augmented,
/// packed into the 6-channel network layout. Worker threads prepare up to <see cref="LoaderOptions.Prefetch"/>
/// batches ahead; batch b is a pure function of (seed, b), and batches are handed out strictly in order, so the
/// stream is identical for any worker count and any thread timing.
/// </summary>
public sealed class PatchLoader : IDisposable
{

    private readonly ISceneSource _source;
    private readonly LabelledQuota? _quota;
    private readonly Dictionary<long, object> _ready = new(); // batch index → PreparedBatch or Exception
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;
    private long _nextToPrepare;
    private long _nextToHand;

    public LoaderOptions Options { get; }

    public PatchLoader(ISceneSource source, LoaderOptions? options = null, long firstBatch = 0)
    {
        Options = options ?? new LoaderOptions();
        Options.Validate();
        _source = source;
        _quota = LabelledQuota.For(source, Options);
        _nextToPrepare = firstBatch - 1; // Interlocked.Increment hands out firstBatch first
        _nextToHand = firstBatch;
        _slots = new SemaphoreSlim(Options.Prefetch, Options.Prefetch);
        _workers = Enumerable.Range(0, Options.Workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"hdrkit-loader-{i}" }).ToArray();
        foreach (var t in _workers) t.Start();
    }

    /// <summary>The next batch in stream order; blocks until it is ready. Errors of the worker that made it are rethrown here.</summary>
    public TrainingBatch Next()
    {
        object item;
        lock (_ready)
        {
            while (!_ready.Remove(_nextToHand, out item!))
            {
                ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
                Monitor.Wait(_ready);
            }
        }
        _slots.Release();
        long index = _nextToHand++;
        if (item is Exception e) throw e is AggregateException ? e : new AggregateException(e);
        return ((PreparedBatch)item).ToTensors(index);
    }

    /// <summary>Prepares batch <paramref name="index"/> synchronously, without worker threads (tests, evaluation).</summary>
    public TrainingBatch Make(long index) => Prepare(index).ToTensors(index);

    private void Work()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                _slots.Wait(token);
                long index = Interlocked.Increment(ref _nextToPrepare);
                object result;
                try { result = Prepare(index); }
                catch (Exception e) { result = e; }
                lock (_ready)
                {
                    _ready[index] = result;
                    Monitor.PulseAll(_ready);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private PreparedBatch Prepare(long batchIndex)
    {
        var o = Options;
        int b = o.BatchSize, p = o.PatchSize, pp = p * p;
        PreparedBatch? batch = null;
        for (int item = 0; item < b; item++)
        {
            var rng = SeedMixer.Create(o.Seed, batchIndex, item);
            var scene = _quota?.SceneFor(item, rng) ?? _source.SceneFor(batchIndex * b + item, rng);
            if (scene.Width < p || scene.Height < p)
                throw new ArgumentException($"scene {scene.Id} is {scene.Width}x{scene.Height}, smaller than the {p}x{p} patch");
            batch ??= new PreparedBatch(b, scene.Frames.Count, p, o.IncludeSegments, o.IncludeMotionMask);
            if (scene.Frames.Count != batch.Exposures)
                throw new InvalidDataException($"scene {scene.Id} has {scene.Frames.Count} exposures, others in the batch have {batch.Exposures}");
            int x0 = rng.Next(scene.Width - p + 1), y0 = rng.Next(scene.Height - p + 1);
            var transform = PatchTransform.Sample(o.Augmentation, rng);
            var placement = new PatchPlacement(scene.Id, x0, y0, p, transform, scene.Stops, scene.Labelled);
            batch.Samples[item] = placement;
            var source = placement.SourceIndices(); // patch pixel → scene pixel index
            for (int i = 0; i < pp; i++) source[i] = (y0 + source[i] / p) * scene.Width + x0 + source[i] % p;
            double origin = o.ExposureTimeOrigin == ExposureTimeOrigin.ShortestIsOne ? scene.Stops.Min() : 0;
            var (ldrAt, linearAt) = SixChannelPacking.Offsets(o.Order);
            var patchPlane = new float[pp];
            for (int f = 0; f < batch.Exposures; f++)
            {
                double exposureTime = Math.Pow(2, scene.Stops[f] - origin);
                var frame = scene.Frames[f];
                for (int c = 0; c < 3; c++)
                {
                    var plane = frame.Plane(transform.ChannelOrder[c]);
                    for (int i = 0; i < pp; i++) patchPlane[i] = Math.Clamp(plane[source[i]], 0f, 1f);
                    int first = (item * batch.Exposures + f) * 6;
                    SixChannelPacking.PackPlane(patchPlane, exposureTime,
                        batch.Inputs.AsSpan((first + ldrAt + c) * pp, pp), batch.Inputs.AsSpan((first + linearAt + c) * pp, pp));
                }
            }
            if (scene.GroundTruth is { } gt)
                for (int c = 0; c < 3; c++)
                {
                    var plane = gt.Plane(transform.ChannelOrder[c]);
                    int off = (item * 3 + c) * pp;
                    for (int i = 0; i < pp; i++) batch.GroundTruth[off + i] = plane[source[i]];
                }
            // A batch carries a label map only when every sample's scene has one (mixed sources may lack them).
            if (batch.Segments != null && scene.Segments is { Labels: var segments })
                for (int i = 0; i < pp; i++) batch.Segments[item * pp + i] = segments[source[i]];
            else batch.SegmentsComplete = false;
            if (batch.MotionMask != null && scene.MotionMask is { Labels: var motion })
                for (int i = 0; i < pp; i++) batch.MotionMask[item * pp + i] = motion[source[i]] != 0 ? 1f : 0f;
            else batch.MotionComplete = false;
        }
        return batch!;
    }

    /// <summary>x^γ for every 16-bit code: exact for quantised frames (8-bit codes are 16-bit codes × 257).</summary>

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        lock (_ready) Monitor.PulseAll(_ready);
        foreach (var t in _workers) t.Join();
        _slots.Dispose();
        _stop.Dispose();
    }

    /// <summary>Plain arrays filled on a worker; tensors are made on the consumer's thread, inside its dispose scope.</summary>
    private sealed class PreparedBatch(int batch, int exposures, int patch, bool segments, bool motion)
    {
        public int Batch { get; } = batch;
        public int Exposures { get; } = exposures;
        public int Patch { get; } = patch;
        public float[] Inputs { get; } = new float[batch * exposures * 6 * patch * patch];
        public float[] GroundTruth { get; } = new float[batch * 3 * patch * patch];
        public long[]? Segments { get; } = segments ? new long[batch * patch * patch] : null;
        public float[]? MotionMask { get; } = motion ? new float[batch * patch * patch] : null;
        public PatchPlacement[] Samples { get; } = new PatchPlacement[batch];
        public bool SegmentsComplete { get; set; } = segments;
        public bool MotionComplete { get; set; } = motion;

        public TrainingBatch ToTensors(long index) => new()
        {
            Index = index,
            Inputs = torch.tensor(Inputs, [Batch, Exposures, 6, Patch, Patch]),
            Target = Samples.Any(s => s.Labelled) ? torch.tensor(GroundTruth, [Batch, 3, Patch, Patch]) : null,
            Labelled = Samples.Select(s => s.Labelled).ToArray(),
            Segments = SegmentsComplete ? torch.tensor(Segments!, [Batch, 1, Patch, Patch]) : null,
            MotionMask = MotionComplete ? torch.tensor(MotionMask!, [Batch, 1, Patch, Patch]) : null,
            Samples = Samples,
        };
    }
}
