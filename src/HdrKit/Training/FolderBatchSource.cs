using HdrKit.Data;
using HdrKit.Models;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Training batches from a Kalantari-layout folder through HdrKit.Data's <see cref="PatchLoader"/>. The
/// loader's stream is a pure function of (seed, batch number), so batch (epoch, index) is stream batch
/// epoch·BatchesPerEpoch + index; sequential requests use the prefetching stream, and any jump (a resume)
/// restarts the stream at the requested batch.
/// </summary>
public sealed class FolderBatchSource : ITrainingBatchSource, IDisposable
{
    private readonly FolderSceneSource _scenes;
    private readonly LoaderOptions _options;
    private PatchLoader? _loader;
    private long _next = -1;

    public int BatchesPerEpoch { get; }

    public FolderBatchSource(DataConfig config, NetworkInputSpec spec, long seed)
    {
        _scenes = new FolderSceneSource(config.Path ?? throw new ArgumentException("data.path is required for data.kind kalantari"));
        int patch = (config.PatchSize + spec.PadMultiple - 1) / spec.PadMultiple * spec.PadMultiple;
        _options = new LoaderOptions
        {
            BatchSize = config.BatchSize, PatchSize = patch, Order = spec.Order, ExposureTimeOrigin = spec.ExposureTimeOrigin,
            Augmentation = config.Augment ? new AugmentationOptions() : AugmentationOptions.None, Seed = seed,
        };
        // Default epoch: about one patch per scene-area-worth of crops is unknown here, so one batch per scene.
        BatchesPerEpoch = config.BatchesPerEpoch ?? Math.Max(1, _scenes.Scenes.Count / config.BatchSize);
    }

    public TrainingBatch GetBatch(int epoch, int index, Device device)
    {
        long global = (long)epoch * BatchesPerEpoch + index;
        if (_loader == null || global != _next)
        {
            _loader?.Dispose();
            _loader = new PatchLoader(_scenes, _options, global);
        }
        _next = global + 1;
        var b = _loader.Next(); // tensors land in the caller's dispose scope
        return new TrainingBatch(b.Inputs.to(device), b.GroundTruth.to(device),
            Segments: b.Segments?.unsqueeze(1).to(device));
    }

    public void Dispose() => _loader?.Dispose();
}
