namespace HdrKit.Training;

/// <summary>Reported after every step and validation; the CLI turns it into a progress bar with ETA.</summary>
/// <param name="Validation">Mean validation metrics when this report follows a validation, else null.</param>
public sealed record TrainingProgress(
    long Step, long TotalSteps, int Epoch, int Epochs, double Loss, double LearningRate, TimeSpan Elapsed,
    IReadOnlyDictionary<string, double>? Validation = null);
