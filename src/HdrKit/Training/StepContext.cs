namespace HdrKit.Training;

/// <summary>Where a training step sits: 0-based epoch and batch, steps completed before it.</summary>
public sealed record StepContext(int Epoch, int BatchIndex, long Step);
