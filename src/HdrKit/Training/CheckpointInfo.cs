namespace HdrKit.Training;

/// <summary>A checkpoint on disk as read from its JSON sidecar.</summary>
public sealed record CheckpointInfo(string SidecarPath, string TensorsPath, string Recipe, TrainingState State, TrainingConfig Config, string Reason);
