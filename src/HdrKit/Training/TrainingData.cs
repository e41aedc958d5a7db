using HdrKit.Models;

namespace HdrKit.Training;

/// <summary>
/// Builds the `data:` section into batch and validation sources for a network's input layout. A
/// `validation_path` folder of whole scenes takes precedence over the synthetic source's generated scenes.
/// </summary>
public static class TrainingData
{
    public static (ITrainingBatchSource Train, IValidationSource? Validation) Create(TrainingConfig config, NetworkInputSpec spec)
    {
        IValidationSource? folderValidation = config.Data.ValidationPath is { } path ? new FolderValidationSource(path, spec) : null;
        switch (config.Data.Kind)
        {
            case "synthetic":
                var source = new SyntheticBracketSource(config.Data, spec, config.Seed);
                return (source, folderValidation ?? (config.Data.ValidationScenes > 0 ? source : null));
            case "kalantari":
                return (new FolderBatchSource(config.Data, spec, config.Seed), folderValidation);
            default:
                throw new ArgumentException($"data.kind must be synthetic or kalantari, got '{config.Data.Kind}'");
        }
    }
}
