using HdrKit.Data;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// What epoch hooks may use: the config, the data (to recompute per-scene quantities such as per-segment
/// weights from full-image predictions), the validation scenes, the device and the run folder (for pictures a
/// recipe draws; null when the caller has none). Epoch is 0-based.
/// </summary>
public sealed record EpochContext(int Epoch, TrainingConfig Config, ITrainingBatchSource Data, IValidationSource? Validation, Device Device,
    string? OutputFolder = null)
{
    /// <summary>The training scenes as whole images (id, frames and stops, optional ground truth and segments); null for endless sources.</summary>
    public ITrainingScenes? Scenes => Data.Scenes;
}
