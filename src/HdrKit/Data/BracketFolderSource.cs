using System.Collections.Concurrent;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// Unlabelled training scenes: folders of exposure brackets without ground truth (phone or camera brackets, the
/// unlabelled part of a semi-supervised run). Each bracket is read by the loader `hdrkit merge` uses
/// (<see cref="BracketFiles.Load"/>: exposure.txt, else EXIF), of any frame count, and the model's count is
/// picked by <see cref="FrameSelection"/>. Only brackets that carry no exposures of their own take
/// <see cref="FallbackStops"/>. Segments come from a semantic-bank cache file in the bracket folder when present.
/// </summary>
public sealed class BracketFolderSource : ITrainingScenes
{
    private static readonly string[] ImageExtensions = [".tif", ".tiff", ".png", ".jpg", ".jpeg"];
    private readonly ConcurrentDictionary<int, Lazy<TrainingScene>> _cache = new();

    /// <summary>Bracket folders: the subfolders of the root holding images, or the root itself when it holds them.</summary>
    public IReadOnlyList<string> Folders { get; }
    public int Exposures { get; }
    public IReadOnlyList<double>? FallbackStops { get; }

    public BracketFolderSource(string root, int exposures, IReadOnlyList<double>? fallbackStops = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"bracket folder {root} does not exist");
        if (exposures < 2) throw new ArgumentException($"unlabelled brackets need a model that takes at least 2 exposures, got {exposures}");
        Folders = HasImages(root) ? [root]
            : Directory.EnumerateDirectories(root).Where(HasImages).Order(StringComparer.Ordinal).ToArray();
        if (Folders.Count == 0) throw new FileNotFoundException($"no bracket folders (with {string.Join("/", ImageExtensions)} images) in {root}");
        Exposures = exposures;
        FallbackStops = fallbackStops;
    }

    public int Count => Folders.Count;

    public TrainingScene Scene(int index) => _cache.GetOrAdd(index, k => new Lazy<TrainingScene>(() => Read(Folders[k]))).Value;

    /// <summary>Brackets have no ground truth.</summary>
    public bool IsLabelled(int index) =>
        (uint)index < (uint)Count ? false : throw new ArgumentOutOfRangeException(nameof(index), $"scene {index} of {Count}");

    private TrainingScene Read(string folder)
    {
        var files = BracketFiles.ExpandInputs([folder]);
        double[]? given = null;
        if (!HasOwnExposures(folder, files))
        {
            if (FallbackStops == null || FallbackStops.Count != files.Count)
                throw new InvalidDataException($"bracket {folder} has no exposure.txt and no EXIF exposure times, and data.stops does not list {files.Count} exposures for it");
            given = FallbackStops.Select(s => Math.Pow(2, s)).ToArray();
        }
        var bracket = BracketFiles.Load(files, given).Bracket.SortedByExposure();
        var chosen = FrameSelection.Choose(bracket, Exposures)
                     ?? throw new InvalidDataException($"bracket {folder}: no {Exposures} of its {bracket.Count} frames lie within {FrameSelection.MaxGapStops} stops of each other");
        var subset = FrameSelection.Subset(bracket, chosen);
        double shortest = subset.ExposureSeconds.Min();
        var scene = new TrainingScene
        {
            Id = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
            Frames = subset.Frames, Stops = subset.ExposureSeconds.Select(t => Math.Log2(t / shortest)).ToArray(),
            ReferenceIndex = subset.ReferenceIndex,
        };
        var segments = SemanticSegmentCache.Read(folder, scene.Width, scene.Height);
        return segments == null ? scene : scene with { Segments = segments };
    }

    private static bool HasImages(string folder) =>
        Directory.EnumerateFiles(folder).Count(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())) >= 2;

    private static bool HasOwnExposures(string folder, IReadOnlyList<string> files) =>
        File.Exists(Path.Combine(folder, KalantariScene.ExposureFile)) || files.All(f => ExifExposure.Read(f) != null);
}
