using NetVips;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// 32-bit float TIFF (SampleFormat IEEEFP) through libvips: grey or RGB, alpha dropped, EXIF/TIFF orientation
/// applied. LogLuv (CIE XYZ) TIFFs, which OpenCV writes for float images, are refused.
/// Writing stores RGB or grey float32 with deflate and the floating-point predictor, lossless.
/// </summary>
public static class FloatTiff
{
    public static FloatImage Read(string path)
    {
        using var decoded = VipsIo.Load(path);
        var img = decoded.Image;
        if (decoded.Format != Enums.BandFormat.Float)
        {
            if (decoded.Format != Enums.BandFormat.Double)
                throw new InvalidDataException($"{path}: holds {decoded.Format} samples, not 32-bit floats; read 8/16-bit TIFFs with LdrImageFile.Read");
            using var asFloat = VipsIo.Guard(path, () => img.Cast(Enums.BandFormat.Float));
            return FloatImage.FromInterleaved(VipsIo.Pixels<float>(path, asFloat), img.Width, img.Height, decoded.Channels);
        }
        return FloatImage.FromInterleaved(VipsIo.Pixels<float>(path, img), img.Width, img.Height, decoded.Channels);
    }

    /// <summary>Writes 1- or 3-channel images atomically. NaN, infinity and negative values are refused.</summary>
    public static void Write(string path, FloatImage image)
    {
        RadianceValidation.ThrowIfNotGreyOrRgb(image, path);
        RadianceValidation.ThrowIfInvalid(image, path);
        using var vimg = VipsIo.FromInterleaved(image.ToInterleaved(), image.Width, image.Height, image.Channels, Enums.BandFormat.Float);
        AtomicFile.WriteVia(path, temp => VipsIo.GuardWrite(path, () =>
            vimg.Tiffsave(temp, compression: Enums.ForeignTiffCompression.Deflate, predictor: Enums.ForeignTiffPredictor.Float)));
    }
}
