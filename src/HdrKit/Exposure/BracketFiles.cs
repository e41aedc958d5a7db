using HdrKit.Imaging;

namespace HdrKit.Exposure;

/// <summary>Where a bracket's exposure times came from; shown to the user so a wrong guess is visible.</summary>
public enum ExposureSource { Given, ExposureFile, Exif, ExifRelative }

/// <summary>A bracket read from disk, with the files it came from and how its exposure times were found.</summary>
public sealed record LoadedBracket(Bracket Bracket, IReadOnlyList<string> Files, ExposureSource ExposureSource, int BitDepth);

/// <summary>
/// Reads a bracket from image files or from a scene folder. Exposure times come from, in this order: the caller
/// (command-line seconds or stops), an exposure.txt next to the images (Kalantari's layout: one value in stops per
/// image, sorted by file name), or the files' EXIF. When EXIF shows the aperture or ISO changing across the
/// bracket, the recorded light t·ISO/N² is used instead of the shutter time alone.
/// </summary>
public static class BracketFiles
{
    private static readonly string[] ImageExtensions = { ".tif", ".tiff", ".png", ".jpg", ".jpeg" };

    /// <summary>A single folder becomes its LDR images sorted by name (ground-truth HDR files are skipped).</summary>
    public static IReadOnlyList<string> ExpandInputs(IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 1 && Directory.Exists(inputs[0]))
        {
            // A Kalantari-layout scene (exposure.txt present) keeps its exposures in TIFFs; PNGs beside them are
            // extras such as segment maps and motion masks, not frames.
            // A scene folder without TIFFs has no masks to confuse with frames, so its PNG/JPEG images are the frames.
            bool scene = File.Exists(Path.Combine(inputs[0], "exposure.txt"));
            List<string> Images(string[] extensions) => Directory.EnumerateFiles(inputs[0])
                .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal).ToList();
            var files = scene ? Images([".tif", ".tiff"]) : [];
            if (files.Count == 0) files = Images(ImageExtensions);
            if (files.Count == 0) throw new ArgumentException($"folder {inputs[0]} holds no .tif, .tiff, .png, .jpg or .jpeg images");
            return files;
        }
        foreach (var f in inputs)
        {
            if (Directory.Exists(f)) throw new ArgumentException($"{f} is a folder; give either one scene folder or image files");
            if (!File.Exists(f)) throw new FileNotFoundException($"input image {f} does not exist", f);
        }
        return inputs;
    }

    /// <param name="exposureSeconds">Times given by the user, one per file, or null to look for them.</param>
    /// <param name="referenceIndex">0-based reference in the given file order, or null for the middle exposure.</param>
    public static LoadedBracket Load(IReadOnlyList<string> inputs, double[]? exposureSeconds = null, int? referenceIndex = null,
        IProgress<double>? progress = null)
    {
        var files = ExpandInputs(inputs);
        if (files.Count < 2) throw new ArgumentException($"a bracket needs at least 2 images, got {files.Count}");
        if (exposureSeconds != null && exposureSeconds.Length != files.Count)
            throw new ArgumentException($"{exposureSeconds.Length} exposure times for {files.Count} images");

        var (times, source) = exposureSeconds != null ? (exposureSeconds, ExposureSource.Given) : FindExposures(files);

        // Codes, not floats: the float frames are made only if the merge asks for them (see Bracket).
        var frames = new CodeImage[files.Count];
        var errors = new Exception?[files.Count];
        int done = 0;
        var progressLock = new object();
        Parallel.For(0, files.Count, i =>
        {
            try { frames[i] = LdrImageFile.ReadCodes(files[i]); }
            catch (Exception e) { errors[i] = e; }
            // Under the lock, so reports from the decoding threads arrive in increasing order.
            lock (progressLock) progress?.Report(++done / (double)files.Count);
        });
        // The first bad frame in input order, whichever thread failed first: the error names the same file every run.
        if (errors.FirstOrDefault(e => e != null) is { } error)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();

        int? reference = referenceIndex;
        if (reference is int r && (r < 0 || r >= files.Count))
            throw new ArgumentException($"--reference must be between 1 and {files.Count}, got {r + 1}");
        reference ??= DefaultReference(frames, times);
        var bracket = new Bracket(frames, times, reference);
        return new LoadedBracket(bracket, files, source, frames.Min(f => f.BitDepth));
    }

    /// <summary>
    /// The middle exposure by time for brackets of up to 3 frames (the deghosting datasets' convention, which the
    /// networks assume). Longer brackets span many stops and their middle frame can be nearly black or white, so
    /// the frame with the most well-exposed pixels (codes in [0.1, 0.9]) is taken, the middle one on ties.
    /// </summary>
    public static int DefaultReference(IReadOnlyList<FloatImage> frames, IReadOnlyList<double> times) =>
        DefaultReference(frames.Count, times, i => WellExposed(frames[i].Plane(1)));

    /// <summary>As <see cref="DefaultReference(IReadOnlyList{FloatImage}, IReadOnlyList{double})"/>, from the frames' codes.</summary>
    public static int DefaultReference(IReadOnlyList<CodeImage> frames, IReadOnlyList<double> times) =>
        DefaultReference(frames.Count, times, i =>
        {
            var f = frames[i];
            var green = new float[f.Width];
            var table = f.ValueTable();
            long n = 0;
            for (int y = 0; y < f.Height; y++)
            {
                f.MapRow(1, y, 0, table, green);
                n += WellExposed(green, y * f.Width);
            }
            return n;
        });

    private static int DefaultReference(int count, IReadOnlyList<double> times, Func<int, long> wellExposed)
    {
        var byTime = Enumerable.Range(0, count).OrderBy(i => times[i]).ToArray();
        int middle = byTime[count / 2];
        if (count <= 3) return middle;
        var counts = Enumerable.Range(0, count).Select(wellExposed).ToArray();
        return Enumerable.Range(0, count).OrderByDescending(i => counts[i])
            .ThenBy(i => Math.Abs(Array.IndexOf(byTime, i) - count / 2)).First();
    }

    /// <summary>Codes in [0.1, 0.9] among every 7th sample (plenty) of a plane, or of a row starting at sample <paramref name="first"/> of its plane.</summary>
    private static long WellExposed(ReadOnlySpan<float> g, int first = 0)
    {
        long n = 0;
        for (int i = (7 - first % 7) % 7; i < g.Length; i += 7) if (g[i] >= 0.1f && g[i] <= 0.9f) n++;
        return n;
    }

    /// <summary>
    /// Kalantari's exposure.txt: one value in stops per image (blank lines ignored), mapped to seconds as
    /// <see cref="ExposureSpec.ParseStops"/> does. Anything else is an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static double[] ReadExposureFile(string exposureFile, int imageCount)
    {
        // Real files are a few lines; a large one is not an exposure list and is not read whole.
        const long MaxBytes = 1 << 16;
        var info = new FileInfo(exposureFile);
        if (!info.Exists) throw new FileNotFoundException($"{exposureFile} does not exist", exposureFile);
        if (info.Length > MaxBytes) throw new InvalidDataException($"{exposureFile}: is {info.Length} bytes, too large for a list of exposures");
        var stops = File.ReadAllLines(exposureFile).Where(l => l.Trim().Length > 0).ToArray();
        if (stops.Length != imageCount)
            throw new InvalidDataException($"{exposureFile} lists {stops.Length} exposures for {imageCount} images");
        try
        {
            return ExposureSpec.ParseStops(string.Join(",", stops.Select(s => s.Trim())), imageCount, exposureFile);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message.Replace($" (Parameter '{exposureFile}')", ""), e);
        }
    }

    private static (double[] Times, ExposureSource Source) FindExposures(IReadOnlyList<string> files)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(files[0]))!;
        var exposureFile = Path.Combine(folder, "exposure.txt");
        if (files.All(f => Path.GetDirectoryName(Path.GetFullPath(f)) == folder) && File.Exists(exposureFile))
            return (ReadExposureFile(exposureFile, files.Count), ExposureSource.ExposureFile);

        var exif = files.Select(f => (File: f, Exif: ExifExposure.Read(f))).ToArray();
        var missing = exif.FirstOrDefault(e => e.Exif == null);
        if (missing.File != null)
            throw new ArgumentException($"no exposure time for {missing.File}: it has no EXIF ExposureTime; give --exposures (seconds, e.g. 1/250,1/60,1/15) or --ev (stops, e.g. -2,0,2)");
        bool sameApertureAndIso = exif.Select(e => (e.Exif!.FNumber, e.Exif.Iso)).Distinct().Count() == 1;
        var result = sameApertureAndIso
            ? (exif.Select(e => e.Exif!.ExposureSeconds).ToArray(), ExposureSource.Exif)
            : (exif.Select(e => e.Exif!.RelativeExposure).ToArray(), ExposureSource.ExifRelative);
        // Some tools rewrite EXIF when exporting a bracket, leaving every frame with the same value: merging
        // those as equal exposures would silently produce a wrong radiance map.
        if (result.Item1.Distinct().Count() == 1)
            throw new ArgumentException($"all {files.Count} images have the same exposure in their EXIF ({exif[0].Exif!.ExposureSeconds:G4} s), so it does not say how they differ; give --exposures (seconds) or --ev (stops)");
        return result;
    }
}
