namespace HdrKit.Inference;

/// <summary>One image of a batch folder and what its EXIF says about when and how it was taken.</summary>
/// <param name="Path">The image file.</param>
/// <param name="CaptureTime">EXIF capture time, or null when absent.</param>
/// <param name="Exposure">Relative exposure (shutter time, times ISO/N² when recorded), or null when absent.</param>
public sealed record BatchFrame(string Path, DateTime? CaptureTime, double? Exposure);
