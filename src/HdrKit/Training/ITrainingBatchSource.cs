using HdrKit.Data;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Training data as the trainer sees it. Batches are a pure function of (epoch, index) and the source's seed,
/// so an exact resume needs no iterator state: the patch loader and any future corpus only have to honour that
/// contract.
/// </summary>
public interface ITrainingBatchSource
{
    int BatchesPerEpoch { get; }

    /// <summary>The whole training scenes behind the batches, for epoch hooks; null for endless sources (synthetic).</summary>
    ITrainingScenes? Scenes => null;

    /// <summary>The index-th batch of an epoch (both 0-based), created in the caller's dispose scope.</summary>
    TrainingBatch GetBatch(int epoch, int index, Device device);
}
