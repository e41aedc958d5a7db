using System.Globalization;
using HdrKit.Imaging;
using HdrKit.Util;

namespace HdrKit.Data;

/// <summary>
/// Scene folders in Kalantari's layout (also Tel's): the LDR TIFFs sorted by name = shortest → longest exposure,
/// exposure.txt with one exposure per line in stops, HDRImg.hdr with linear radiance aligned to the reference
/// (middle) exposure. Our extras, read when present and ignored by other tools: segments.png (16-bit segment ids
/// of the reference), motion_mask.png (255 where any frame's geometry differs from the reference) and scene.txt
/// (provenance). Real Kalantari/Tel folders and simulated ones are interchangeable.
/// </summary>
public static class KalantariScene
{
    public const string ExposureFile = "exposure.txt", GroundTruthFile = "HDRImg.hdr";
    public const string SegmentsFile = "segments.png", MotionMaskFile = "motion_mask.png", ProvenanceFile = "scene.txt";

    /// <summary>True when <paramref name="folder"/> looks like a scene (has exposure.txt).</summary>
    public static bool IsScene(string folder) => File.Exists(Path.Combine(folder, ExposureFile));

    /// <summary>Scene folders directly below <paramref name="root"/> (or root itself if it is one), sorted by name.</summary>
    public static IReadOnlyList<string> FindScenes(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset folder {root} does not exist");
        if (IsScene(root)) return [root];
        var scenes = Directory.EnumerateDirectories(root).Where(IsScene).Order(StringComparer.Ordinal).ToArray();
        if (scenes.Length == 0) throw new FileNotFoundException($"no scene folders (with {ExposureFile}) in {root}");
        return scenes;
    }

    /// <summary>Writes the scene into <paramref name="folder"/> (created if missing); each file is written atomically.</summary>
    public static void Write(string folder, SimulatedScene scene, int? bitDepth = null)
    {
        Directory.CreateDirectory(folder);
        int bits = bitDepth ?? 16; // Kalantari's TIFFs are 16-bit; 8-bit cameras store their codes exactly in 16 bits too
        // Zero-padded names keep "sorted by name" equal to "sorted by exposure" for up to 99 frames.
        for (int i = 0; i < scene.Frames.Count; i++)
            LdrImageFile.Write(Path.Combine(folder, $"input_{i + 1:D2}.tif"), scene.Frames[i], bits);
        WriteLines(Path.Combine(folder, ExposureFile), scene.Stops.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
        RadianceHdr.Write(Path.Combine(folder, GroundTruthFile), scene.GroundTruth);
        if (scene.Segments != null) LdrImageFile.Write(Path.Combine(folder, SegmentsFile), ToImage(scene.Segments, 65535), 16);
        if (scene.MotionMask != null) LdrImageFile.Write(Path.Combine(folder, MotionMaskFile), ToImage(scene.MotionMask, 1), 8);
        if (scene.Provenance.Count > 0)
            WriteLines(Path.Combine(folder, ProvenanceFile), scene.Provenance);
    }

    public static SimulatedScene Read(string folder, bool readExtras = true)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"scene folder {folder} does not exist");
        var tiffs = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".tif" or ".tiff")
            .Order(StringComparer.Ordinal).ToArray();
        if (tiffs.Length < 2) throw new InvalidDataException($"scene {folder} has {tiffs.Length} TIFF exposures, expected at least 2");
        var stops = ReadStops(Path.Combine(folder, ExposureFile));
        if (stops.Length != tiffs.Length)
            throw new InvalidDataException($"scene {folder}: {ExposureFile} lists {stops.Length} exposures but the folder has {tiffs.Length} TIFFs");
        for (int i = 1; i < stops.Length; i++)
            if (!(stops[i] > stops[i - 1]))
                throw new InvalidDataException($"scene {folder}: {ExposureFile} must increase line by line (TIFFs sorted by name are short → long), line {i + 1} does not");
        var frames = tiffs.Select(f => LdrImageFile.Read(f).Pixels).ToArray();
        var gtPath = FindCaseInsensitive(folder, GroundTruthFile)
                     ?? throw new FileNotFoundException($"scene {folder} has no {GroundTruthFile}");
        var gt = RadianceHdr.Read(gtPath);
        for (int i = 0; i < frames.Length; i++)
            if (!frames[i].SameSize(gt))
                throw new InvalidDataException($"scene {folder}: {Path.GetFileName(tiffs[i])} is {frames[i].Width}x{frames[i].Height} but {GroundTruthFile} is {gt.Width}x{gt.Height}");
        LabelImage? segments = null, motion = null;
        IReadOnlyList<string> provenance = [];
        if (readExtras)
        {
            segments = ReadLabels(Path.Combine(folder, SegmentsFile), gt, 65535);
            motion = ReadLabels(Path.Combine(folder, MotionMaskFile), gt, 1);
            var prov = Path.Combine(folder, ProvenanceFile);
            if (File.Exists(prov)) provenance = File.ReadAllLines(prov);
        }
        return new SimulatedScene
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
            Frames = frames, Stops = stops, ReferenceIndex = frames.Length / 2, GroundTruth = gt,
            Segments = segments, MotionMask = motion, Provenance = provenance,
        };
    }

    public static double[] ReadStops(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing (one exposure per line, in stops)");
        var values = new List<double>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new InvalidDataException($"{path}, line {lineNo}: '{line}' is not a number of stops");
            values.Add(v);
        }
        return values.ToArray();
    }

    /// <summary>"\n"-terminated UTF-8 lines without BOM, written atomically.</summary>
    private static void WriteLines(string path, IEnumerable<string> lines) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
        foreach (var line in lines) w.Write(line + "\n");
    });

    private static FloatImage ToImage(LabelImage labels, float maxLabel)
    {
        var img = new FloatImage(labels.Width, labels.Height, 1);
        for (int i = 0; i < labels.Labels.Length; i++) img.Data[i] = Math.Min(labels.Labels[i], maxLabel) / maxLabel;
        return img;
    }

    /// <summary>Reads a label PNG (ids = codes, 8- or 16-bit), or null if absent; for a mask any non-zero code is 1.</summary>
    private static LabelImage? ReadLabels(string path, FloatImage like, int maxLabel)
    {
        if (!File.Exists(path)) return null;
        var ldr = LdrImageFile.Read(path);
        if (!ldr.Pixels.SameSize(like))
            throw new InvalidDataException($"{path} is {ldr.Width}x{ldr.Height} but the scene is {like.Width}x{like.Height}");
        var plane = ldr.Pixels.Plane(0);
        var labels = new ushort[plane.Length];
        for (int i = 0; i < plane.Length; i++)
        {
            int code = (int)MathF.Round(plane[i] * ldr.MaxCode);
            labels[i] = maxLabel == 1 ? (ushort)(code > 0 ? 1 : 0) : (ushort)code;
        }
        return new LabelImage(ldr.Width, ldr.Height, labels);
    }

    private static string? FindCaseInsensitive(string folder, string name) =>
        Directory.EnumerateFiles(folder).FirstOrDefault(f => string.Equals(Path.GetFileName(f), name, StringComparison.OrdinalIgnoreCase));
}
