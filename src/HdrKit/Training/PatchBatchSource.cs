using HdrKit.Data;
using HdrKit.Models;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Training batches from any <see cref="ISceneSource"/> through HdrKit.Data's <see cref="PatchLoader"/>. The
/// loader's stream is a pure function of (seed, batch number), so batch (epoch, index) is stream batch
/// epoch·BatchesPerEpoch + index; sequential requests use the prefetching stream, and any jump (a resume)
/// restarts the stream at the requested batch.
/// </summary>
public sealed class PatchBatchSource : ITrainingBatchSource, IDisposable
{
    private readonly ISceneSource _source;
    private PatchLoader? _loader;
    private long _next = -1;

    public LoaderOptions Options { get; }
    public int BatchesPerEpoch { get; }
    public ITrainingScenes? Scenes => _source as ITrainingScenes;

    /// <param name="batchesPerEpoch">null: one batch per batch_size scenes of a scene set, 100 for an endless source.</param>
    public PatchBatchSource(ISceneSource source, LoaderOptions options, int? batchesPerEpoch = null)
    {
        options.Validate();
        LabelledQuota.For(source, options); // a quota the scenes cannot meet fails here, not at the first batch
        _source = source;
        Options = options;
        BatchesPerEpoch = batchesPerEpoch ?? (source is ITrainingScenes scenes ? Math.Max(1, scenes.Count / options.BatchSize) : 100);
    }

    /// <summary>Loader options for a data section and a network: patch rounded up to its multiple, its channel order and time origin.</summary>
    public static LoaderOptions OptionsFor(DataConfig config, NetworkInputSpec spec, long seed) => new()
    {
        BatchSize = config.BatchSize, PatchSize = NetworkPadding.RoundUp(config.PatchSize, spec.PadMultiple), Order = spec.Order,
        ExposureTimeOrigin = spec.ExposureTimeOrigin, Augmentation = AugmentationOptions.Named(config.Augment), Seed = seed,
        IncludeSegments = true, IncludeMotionMask = true, LabelledPerBatch = config.LabelledPerBatch,
    };

    public TrainingBatch GetBatch(int epoch, int index, Device device)
    {
        long global = (long)epoch * BatchesPerEpoch + index;
        if (_loader == null || global != _next)
        {
            _loader?.Dispose();
            _loader = new PatchLoader(_source, Options, global);
        }
        _next = global + 1;
        return _loader.Next().To(device); // tensors land in the caller's dispose scope
    }

    public void Dispose() => _loader?.Dispose();
}
