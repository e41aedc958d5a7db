using HdrKit.Data;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// What epoch hooks may use: the config, the data (to recompute per-scene quantities such as per-segment
/// weights from full-image predictions), the validation scenes and the device. Epoch is 0-based.
/// </summary>
public sealed record EpochContext(int Epoch, TrainingConfig Config, ITrainingBatchSource Data, IValidationSource? Validation, Device Device)
{
    /// <summary>The training scenes as whole images (id, frames and stops, optional ground truth and segments); null for endless sources.</summary>
    public ITrainingScenes? Scenes => Data.Scenes;
}
