namespace HdrKit.Training;

/// <summary>How a run ended: where it stopped, whether it was interrupted, and what it wrote; Losses holds this run's per-step totals.</summary>
public sealed record TrainingResult(TrainingState State, bool Interrupted, string CheckpointPath, string? WeightsPath, IReadOnlyList<double> Losses);
