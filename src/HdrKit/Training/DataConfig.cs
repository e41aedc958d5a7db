namespace HdrKit.Training;

/// <summary>The `data:` section: where batches come from and their shape.</summary>
public sealed class DataConfig
{
    /// <summary>"synthetic" (procedural moving scenes, no files needed) or "kalantari" (a scene folder).</summary>
    public string Kind { get; set; } = "synthetic";
    /// <summary>Training scenes folder (kind kalantari).</summary>
    public string? Path { get; set; }
    /// <summary>Kalantari-layout folder of whole validation scenes (either kind); without it, synthetic data generates its own.</summary>
    public string? ValidationPath { get; set; }
    public int PatchSize { get; set; } = 128;
    public int BatchSize { get; set; } = 8;
    /// <summary>Optimiser steps per epoch; for folder data null means one pass over the patches.</summary>
    public int? BatchesPerEpoch { get; set; }
    /// <summary>Exposure offsets in stops, short → long; the middle one is the reference.</summary>
    public double[] Stops { get; set; } = { -2, 0, 2 };
    /// <summary>Synthetic: how many full-size validation scenes, and their side length.</summary>
    public int ValidationScenes { get; set; } = 4;
    public int ValidationSize { get; set; } = 128;
    /// <summary>Synthetic: largest camera/object motion between exposures, in pixels.</summary>
    public int MaxMotion { get; set; } = 4;
    /// <summary>Flips and 90° rotations (the references' augmentation).</summary>
    public bool Augment { get; set; } = true;
}
