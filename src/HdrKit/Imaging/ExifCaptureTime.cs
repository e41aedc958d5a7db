using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace HdrKit.Imaging;

/// <summary>
/// When a camera says a frame was taken: EXIF DateTimeOriginal (else DateTimeDigitized, else the IFD0 DateTime)
/// plus its sub-second field when present. Batch merging groups frames into brackets by it, as HDRMerge does.
/// </summary>
public static class ExifCaptureTime
{
    /// <summary>The capture time, or null when the file records none or its metadata cannot be read (the decoder reports that later).</summary>
    public static DateTime? Read(string path)
    {
        IReadOnlyList<MetadataExtractor.Directory> dirs;
        try
        {
            // MetadataExtractor reads only the metadata segments from a stream, not the whole image.
            using var stream = File.OpenRead(path);
            dirs = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception e) when (e is ImageProcessingException or IOException)
        {
            return null;
        }
        var exif = dirs.OfType<ExifDirectoryBase>().ToList();
        foreach (var (tag, subSecond) in new[]
                 {
                     (ExifDirectoryBase.TagDateTimeOriginal, ExifDirectoryBase.TagSubsecondTimeOriginal),
                     (ExifDirectoryBase.TagDateTimeDigitized, ExifDirectoryBase.TagSubsecondTimeDigitized),
                     (ExifDirectoryBase.TagDateTime, ExifDirectoryBase.TagSubsecondTime),
                 })
        {
            foreach (var d in exif)
            {
                if (!d.TryGetDateTime(tag, out var t)) continue;
                // Sub-second digits are a decimal fraction: "5" is 0.5 s, "25" is 0.25 s.
                if (d.GetString(subSecond)?.Trim() is { Length: > 0 } digits && digits.All(char.IsAsciiDigit))
                    t = t.AddSeconds(double.Parse("0." + digits, System.Globalization.CultureInfo.InvariantCulture));
                return t;
            }
        }
        return null;
    }
}
