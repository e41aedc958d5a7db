using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Data;

/// <summary>
/// One batch as the networks take it. Tensors are owned by the batch: dispose it (or create it inside a
/// dispose scope) after the step.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    /// <summary>[B, N, 6, H, W], exposures short → long, channels in the loader's <see cref="Models.InputOrder"/>.</summary>
    public required Tensor Inputs { get; init; }
    /// <summary>[B, 3, H, W] linear radiance of the reference frame.</summary>
    public required Tensor GroundTruth { get; init; }
    /// <summary>[B, H, W] int64 segment ids, when requested and available.</summary>
    public Tensor? Segments { get; init; }
    /// <summary>[B, 1, H, W] float, 1 where the geometry differs from the reference, when requested and available.</summary>
    public Tensor? MotionMask { get; init; }
    /// <summary>Index of this batch in the loader's stream.</summary>
    public long Index { get; init; }

    public void Dispose()
    {
        Inputs.Dispose(); GroundTruth.Dispose(); Segments?.Dispose(); MotionMask?.Dispose();
    }
}
