using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace HdrKit.Imaging;

/// <summary>
/// The exposure settings a camera recorded in EXIF: shutter time (ExposureTime, seconds), and when present the
/// aperture (FNumber) and sensitivity (ISOSpeedRatings / ISOSpeed).
/// <para>
/// Merging needs the relative amount of light each frame recorded. Brackets normally vary the shutter only, and
/// exposure times suffice. When aperture or ISO also vary, use <see cref="RelativeExposure"/>: sensor exposure is
/// proportional to t · ISO / N², so frames shot at 1/100 s f/4 ISO 100 and 1/100 s f/2.8 ISO 100 differ by 2×.
/// </para>
/// </summary>
/// <param name="ExposureSeconds">Shutter time in seconds.</param>
/// <param name="FNumber">Aperture f-number, or null when not recorded.</param>
/// <param name="Iso">ISO sensitivity, or null when not recorded.</param>
public sealed record ExifExposure(double ExposureSeconds, double? FNumber, int? Iso)
{
    /// <summary>EXIF 2.3 ISOSpeed, written by cameras whose sensitivity exceeds the 16-bit ISOSpeedRatings field.</summary>
    private const int TagIsoSpeed = 0x8833;

    /// <summary>
    /// t · (ISO/100) / N², a number proportional to the light recorded per unit scene radiance, usable in place of
    /// the exposure time when brackets vary aperture or ISO; factors not recorded are taken as ISO 100 and f/1.
    /// </summary>
    public double RelativeExposure => ExposureSeconds * (Iso ?? 100) / 100.0 / Math.Pow(FNumber ?? 1.0, 2);

    /// <summary>Reads the EXIF exposure of an image file; null when it records no (positive) exposure time.</summary>
    public static ExifExposure? Read(string path)
    {
        var bytes = ByteCursor.ReadAllBytes(path);
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            var exif = ImageMetadataReader.ReadMetadata(ms).OfType<ExifDirectoryBase>().ToList();
            double? t = First(exif, ExifDirectoryBase.TagExposureTime);
            if (t is not > 0 || !double.IsFinite(t.Value)) return null;
            double? n = First(exif, ExifDirectoryBase.TagFNumber);
            int? iso = FirstInt(exif, ExifDirectoryBase.TagIsoEquivalent) ?? FirstInt(exif, TagIsoSpeed);
            return new ExifExposure(t.Value, n is > 0 && double.IsFinite(n.Value) ? n : null, iso is > 0 ? iso : null);
        }
        // MetadataExtractor signals corrupt metadata with its own exception types and, on some truncated
        // structures, with the runtime's bounds exceptions; all of them mean this file's metadata is unreadable.
        catch (Exception e) when (e is ImageProcessingException or MetadataException or IOException or ArgumentException
                                      or IndexOutOfRangeException or OverflowException or InvalidOperationException or InvalidCastException)
        {
            throw new InvalidDataException($"{path}: cannot read its metadata ({e.Message.Split('\n')[0]})", e);
        }
    }

    private static double? First(List<ExifDirectoryBase> dirs, int tag)
    {
        foreach (var d in dirs)
            if (d.TryGetRational(tag, out var r) && r.Denominator != 0) return r.ToDouble();
        return null;
    }

    private static int? FirstInt(List<ExifDirectoryBase> dirs, int tag)
    {
        foreach (var d in dirs)
            if (d.TryGetInt32(tag, out int v)) return v;
        return null;
    }
}
