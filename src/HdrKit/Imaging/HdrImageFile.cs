namespace HdrKit.Imaging;

/// <summary>
/// Reads and writes HDR radiance images choosing the format by extension: .hdr/.pic (Radiance RGBE), .exr
/// (OpenEXR), .pfm (portable float map), .tif/.tiff (32-bit float TIFF). Reading always returns 3 channels (grey
/// files are replicated); writing validates (finite, non-negative radiance) before touching the disk and replaces
/// the destination atomically.
/// </summary>
public static class HdrImageFile
{
    private enum Format { Radiance, Exr, Pfm, Tiff }

    public static IReadOnlyList<string> Extensions { get; } = new[] { ".hdr", ".pic", ".exr", ".pfm", ".tif", ".tiff" };

    public static bool IsSupported(string path) => TryFormat(path, out _);

    public static FloatImage Read(string path)
    {
        var format = FormatOf(path, "read");
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path) ? $"{path} is a folder, not an image file" : $"{path} does not exist", path);
        var img = format switch
        {
            Format.Radiance => RadianceHdr.Read(path),
            Format.Exr => OpenExr.Read(path),
            Format.Pfm => Pfm.Read(path),
            _ => FloatTiff.Read(path),
        };
        return img.Channels == 3 ? img : ToRgb(img);
    }

    public static void Write(string path, FloatImage image, HdrWriteOptions? options = null)
    {
        var format = FormatOf(path, "write");
        options ??= HdrWriteOptions.Default;
        switch (format)
        {
            case Format.Radiance: RadianceHdr.Write(path, image); break;
            case Format.Exr: OpenExr.Write(path, image, options.ExrPixelType, options.ExrCompression); break;
            case Format.Pfm: Pfm.Write(path, image); break;
            default: FloatTiff.Write(path, image); break;
        }
    }

    private static FloatImage ToRgb(FloatImage grey)
    {
        var rgb = new FloatImage(grey.Width, grey.Height, 3);
        for (int c = 0; c < 3; c++) grey.Plane(0).CopyTo(rgb.Plane(c));
        return rgb;
    }

    private static Format FormatOf(string path, string verb)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (TryFormat(path, out var f)) return f;
        throw new ArgumentException(
            $"cannot {verb} {path}: unknown HDR extension '{Path.GetExtension(path)}', expected one of {string.Join(", ", Extensions)}");
    }

    private static bool TryFormat(string path, out Format format)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".hdr" or ".pic": format = Format.Radiance; return true;
            case ".exr": format = Format.Exr; return true;
            case ".pfm": format = Format.Pfm; return true;
            case ".tif" or ".tiff": format = Format.Tiff; return true;
            default: format = default; return false;
        }
    }
}
