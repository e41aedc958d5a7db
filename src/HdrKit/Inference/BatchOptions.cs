using HdrKit.Imaging;

namespace HdrKit.Inference;

/// <summary>How <see cref="BatchMerge"/> merges and writes each bracket.</summary>
public sealed record BatchOptions
{
    /// <summary>The merge policy applied to every bracket, as in `hdrkit merge`.</summary>
    public MergeOptions Merge { get; init; } = new();

    /// <summary>Output file type: ".exr", ".hdr", ".pfm" or ".tif".</summary>
    public string Extension { get; init; } = ".exr";

    public HdrWriteOptions Write { get; init; } = HdrWriteOptions.Default;

    /// <summary>Exposure times in seconds applied to every bracket, for frames without EXIF; null reads EXIF (or exposure.txt).</summary>
    public double[]? ExposureSeconds { get; init; }

    /// <summary>
    /// Brackets decoded ahead of the one being merged. Decoding (libvips, one thread per frame) overlaps the merge, so
    /// both cores work; each prefetched bracket holds its frames in memory, which bounds the batch's footprint.
    /// </summary>
    public int Prefetch { get; init; } = 1;
}
