namespace HdrKit.Training;

/// <summary>
/// The trainer's position: optimiser steps completed, the epoch in progress and how many of its batches are
/// done (0-based), plus wall time spent so far. Together with a batch source that is a pure function of
/// (epoch, batch), this is all the data-order state a resume needs.
/// </summary>
public sealed record TrainingState(long Step, int Epoch, int BatchInEpoch, double ElapsedSeconds)
{
    public static TrainingState Start { get; } = new(0, 0, 0, 0);
}
