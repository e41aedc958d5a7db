using HdrKit.Models;

namespace HdrKit.Data;

/// <summary>How the <see cref="PatchLoader"/> cuts, augments and batches patches.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 8;
    /// <summary>Square patch side: 128 (HDR-Transformer, SMHDR) or 256 (AHDRNet).</summary>
    public int PatchSize { get; init; } = 128;
    public InputOrder Order { get; init; } = InputOrder.LinearFirst;
    /// <summary>Unit of the exposure times, as in Inference.NetworkInput.</summary>
    public ExposureTimeOrigin ExposureTimeOrigin { get; init; } = ExposureTimeOrigin.Absolute;
    public AugmentationOptions Augmentation { get; init; } = new();
    public bool IncludeSegments { get; init; }
    public bool IncludeMotionMask { get; init; }
    /// <summary>Worker threads preparing batches ahead of the consumer.</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);
    /// <summary>Most batches prepared ahead (bounds memory).</summary>
    public int Prefetch { get; init; } = 4;
    public long Seed { get; init; } = 1;
    /// <summary>
    /// Labelled rows in every batch (<see cref="LabelledQuota"/>; the source must be a finite scene set); null samples
    /// every row uniformly over all scenes.
    /// </summary>
    public int? LabelledPerBatch { get; init; }

    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch size must be at least 1, got {BatchSize}");
        if (PatchSize < 8) throw new ArgumentException($"patch size must be at least 8, got {PatchSize}");
        if (Workers < 1) throw new ArgumentException($"need at least one loader worker, got {Workers}");
        if (Prefetch < 1) throw new ArgumentException($"prefetch must be at least 1, got {Prefetch}");
        if (!Enum.IsDefined(ExposureTimeOrigin)) throw new ArgumentException($"unknown exposure time origin {ExposureTimeOrigin}");
    }
}
