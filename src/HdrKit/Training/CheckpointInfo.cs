namespace HdrKit.Training;

/// <summary>A checkpoint on disk as read from its JSON sidecar.</summary>
public sealed record CheckpointInfo(string SidecarPath, string TensorsPath, string Recipe, TrainingState State, TrainingConfig Config, string Reason)
{
    /// <summary>The `module.{name}.` prefix holding the recipe's inference network ("model" in sidecars written before it was recorded).</summary>
    public string InferenceModule { get; init; } = "model";
}
