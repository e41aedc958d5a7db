using HdrKit.Imaging;

namespace HdrKit.Inference;

/// <summary>
/// Splits a folder of many brackets into brackets, as HDRMerge's and Luminance HDR's batch modes do: frames sorted by
/// EXIF capture time start a new bracket after a pause longer than <see cref="DefaultMaxGapSeconds"/> or when an
/// exposure repeats (cameras shooting bracket after bracket in a burst leave no pause, but restart the sequence).
/// Without capture times, a fixed bracket size splits the frames in file-name order.
/// </summary>
public static class BracketGrouping
{
    /// <summary>A bracket is shot within a few seconds; HDRMerge's default batch gap is of the same order.</summary>
    public const double DefaultMaxGapSeconds = 3.0;

    private static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".tif", ".tiff", ".png" };

    /// <summary>The folder's LDR images (JPEG, TIFF, PNG) with their EXIF capture time and exposure, in file-name order.</summary>
    public static IReadOnlyList<BatchFrame> Scan(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"folder {folder} does not exist");
        var files = Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new ArgumentException($"folder {folder} holds no .jpg, .tif or .png images");
        var frames = new BatchFrame[files.Length];
        Parallel.For(0, files.Length, i => frames[i] = new BatchFrame(files[i], ExifCaptureTime.Read(files[i]), ReadExposure(files[i])));
        return frames;
    }

    /// <param name="fixedSize">Frames per bracket in file-name order, ignoring EXIF; null groups by capture time.</param>
    /// <param name="maxGapSeconds">Longest pause between two frames of one bracket.</param>
    public static IReadOnlyList<BracketGroup> Group(IReadOnlyList<BatchFrame> frames, int? fixedSize = null,
        double maxGapSeconds = DefaultMaxGapSeconds)
    {
        if (fixedSize is int n)
        {
            if (n < 2) throw new ArgumentException($"--group must be at least 2 frames, got {n}");
            var byName = frames.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
            return byName.Chunk(n).Select(Named).ToArray();
        }
        var undated = frames.Where(f => f.CaptureTime == null).ToArray();
        if (undated.Length > 0)
            throw new ArgumentException($"{undated.Length} of {frames.Count} images have no EXIF capture time (e.g. {Path.GetFileName(undated[0].Path)}), so brackets cannot be told apart; give --group N (frames per bracket)");

        var groups = new List<BracketGroup>();
        var current = new List<BatchFrame>();
        foreach (var f in frames.OrderBy(f => f.CaptureTime).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            bool pause = current.Count > 0 && (f.CaptureTime!.Value - current[^1].CaptureTime!.Value).TotalSeconds > maxGapSeconds;
            bool repeats = f.Exposure is double e && current.Any(c => c.Exposure is double ce && Math.Abs(Math.Log2(e / ce)) < 0.1);
            if (pause || repeats)
            {
                groups.Add(Named(current.ToArray()));
                current.Clear();
            }
            current.Add(f);
        }
        if (current.Count > 0) groups.Add(Named(current.ToArray()));
        return groups;
    }

    private static BracketGroup Named(BatchFrame[] frames)
    {
        string first = Path.GetFileNameWithoutExtension(frames[0].Path), last = Path.GetFileNameWithoutExtension(frames[^1].Path);
        return new BracketGroup(frames.Length == 1 ? first : $"{first}-{last}", frames);
    }

    private static double? ReadExposure(string path)
    {
        try { return ExifExposure.Read(path)?.RelativeExposure; }
        catch (Exception e) when (e is InvalidDataException or IOException) { return null; } // the bracket fails when it is decoded
    }
}
