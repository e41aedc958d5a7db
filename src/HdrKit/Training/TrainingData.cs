using HdrKit.Models;

namespace HdrKit.Training;

/// <summary>Builds the `data:` section into batch and validation sources for a network's input layout.</summary>
public static class TrainingData
{
    public static (ITrainingBatchSource Train, IValidationSource? Validation) Create(TrainingConfig config, NetworkInputSpec spec)
    {
        switch (config.Data.Kind)
        {
            case "synthetic":
                var source = new SyntheticBracketSource(config.Data, spec, config.Seed);
                return (source, config.Data.ValidationScenes > 0 ? source : null);
            case "kalantari":
                // TODO: full-scene validation from data.validation_path (HdrKit.Data.KalantariScene) is not wired yet.
                return (new FolderBatchSource(config.Data, spec, config.Seed), null);
            default:
                throw new ArgumentException($"data.kind must be synthetic or kalantari, got '{config.Data.Kind}'");
        }
    }
}
