using HdrKit.Data;
using HdrKit.Models;

namespace HdrKit.Training;

/// <summary>
/// Builds the `data:` section into batch and validation sources for a network's input layout. Each source comes
/// from <see cref="DataSourceRegistry"/> by type; several are concatenated into one scene set. A
/// `validation_path` folder of whole scenes takes precedence over the synthetic source's generated scenes.
/// </summary>
public static class TrainingData
{
    public static (ITrainingBatchSource Train, IValidationSource? Validation) Create(TrainingConfig config, NetworkInputSpec spec)
    {
        var data = config.Data;
        var options = PatchBatchSource.OptionsFor(data, spec, config.Seed);
        var context = new DataSourceContext(spec, config.Model.Exposures, options.PatchSize, data.Stops, config.Seed);
        var sources = data.EffectiveSources().Select(s => DataSourceRegistry.Create(s, context)).ToArray();
        ISceneSource scenes = sources.Length == 1 ? sources[0]
            : new ConcatenatedScenes(sources.Select((s, i) => s as ITrainingScenes
                ?? throw new ArgumentException($"data.sources[{i}] ({data.EffectiveSources()[i].Type}) is an endless source and cannot be mixed with others")).ToArray());
        var train = new PatchBatchSource(scenes, options, data.BatchesPerEpoch);

        IValidationSource? validation = data.ValidationPath is { } path ? new FolderValidationSource(path, spec) : null;
        if (validation == null && data.EffectiveSources().All(s => s.Type.Equals("synthetic", StringComparison.OrdinalIgnoreCase)) && data.ValidationScenes > 0)
        {
            // Validation scenes come from their own seed so they are never training patches.
            var simulator = DataSourceRegistry.SyntheticSimulator(data.Stops, data.ValidationSize);
            long seed = SeedMixer.Derive(config.Seed, 2);
            validation = new FolderValidationSource(Enumerable.Range(0, data.ValidationScenes).Select(i => simulator.Simulate(seed, i)), spec);
        }
        return (train, validation);
    }
}
