using NetVips;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// 8/16-bit LDR files through libvips: reads TIFF, PNG and JPEG (and whatever else libvips decodes to 8/16-bit
/// integers) into camera-encoded RGB in [0,1]; writes 8/16-bit PNG, 8/16-bit TIFF and 8-bit JPEG.
/// <para>
/// Reading applies the EXIF orientation (libvips autorot), replicates grey to RGB and drops alpha; it does not
/// linearise (that is the camera response's job, see Exposure/). Writing clamps to [0,1] and rounds to the nearest code.
/// </para>
/// </summary>
public static class LdrImageFile
{
    /// <summary>See <see cref="VipsIo.AcceptCorruptJpeg"/>: JPEGs with damaged data are refused unless this is set.</summary>
    public static bool AcceptCorruptJpeg
    {
        get => VipsIo.AcceptCorruptJpeg;
        set => VipsIo.AcceptCorruptJpeg = value;
    }

    public static LdrImage Read(string path)
    {
        var (codes, fileChannels, hadAlpha) = Decode(path);
        return new LdrImage(codes.ToFloatImage(), codes.BitDepth, fileChannels, hadAlpha);
    }

    /// <summary>As <see cref="Read"/>, keeping the file's 8- or 16-bit codes (a quarter or half of the float frame's memory).</summary>
    public static CodeImage ReadCodes(string path) => Decode(path).Codes;

    private static (CodeImage Codes, int FileChannels, bool HadAlpha) Decode(string path)
    {
        using var decoded = VipsIo.Load(path);
        var img = decoded.Image;
        int w = img.Width, h = img.Height, fileChannels = decoded.Channels;
        var codes = decoded.Format switch
        {
            Enums.BandFormat.Uchar => VipsIo.WithPixels(path, img, (ReadOnlySpan<byte> s) => CodeImage.FromInterleaved(s, w, h, fileChannels)),
            Enums.BandFormat.Ushort => VipsIo.WithPixels(path, img, (ReadOnlySpan<ushort> s) => CodeImage.FromInterleaved(s, w, h, fileChannels)),
            Enums.BandFormat.Float or Enums.BandFormat.Double =>
                throw new InvalidDataException($"{path}: holds floating-point samples; read it as an HDR image (HdrImageFile.Read)"),
            var f => throw new InvalidDataException($"{path}: has {f} samples, expected 8- or 16-bit unsigned integers"),
        };
        return (codes, fileChannels, decoded.HadAlpha);
    }

    /// <summary>
    /// Writes an image in [0,1] (1 or 3 channels) as .png (8 or 16 bit), .tif/.tiff (8 or 16 bit, deflate) or
    /// .jpg/.jpeg (8 bit, quality 95), atomically. Values outside [0,1] are clamped; NaN is refused.
    /// </summary>
    public static void Write(string path, FloatImage image, int bitDepth = 8)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".tif" or ".tiff" or ".jpg" or ".jpeg"))
            throw new ArgumentException($"cannot write {path}: unknown LDR extension '{ext}', expected .png, .tif, .tiff, .jpg or .jpeg");
        if (bitDepth != 8 && bitDepth != 16)
            throw new ArgumentException($"cannot write {path}: bit depth must be 8 or 16, got {bitDepth}");
        if (bitDepth == 16 && ext is ".jpg" or ".jpeg")
            throw new ArgumentException($"cannot write {path}: JPEG holds 8-bit samples only");
        RadianceValidation.ThrowIfNotGreyOrRgb(image, path);
        int nan = Array.FindIndex(image.Data, float.IsNaN);
        if (nan >= 0)
        {
            var (c, y, x) = image.Unravel(nan);
            throw new ArgumentException($"cannot write {path}: pixel (x={x}, y={y}) channel {c} is NaN");
        }

        var hwc = image.ToInterleaved();
        using var vimg = bitDepth == 8
            ? VipsIo.FromInterleaved(Quantise<byte>(hwc, 255, v => (byte)v), image.Width, image.Height, image.Channels, Enums.BandFormat.Uchar)
            : VipsIo.FromInterleaved(Quantise<ushort>(hwc, 65535, v => (ushort)v), image.Width, image.Height, image.Channels, Enums.BandFormat.Ushort);
        AtomicFile.WriteVia(path, temp => VipsIo.GuardWrite(path, () =>
        {
            switch (ext)
            {
                case ".png": vimg.Pngsave(temp, compression: 6, bitdepth: bitDepth); break;
                case ".jpg" or ".jpeg": vimg.Jpegsave(temp, q: 95); break;
                default: vimg.Tiffsave(temp, compression: Enums.ForeignTiffCompression.Deflate, predictor: Enums.ForeignTiffPredictor.Horizontal); break;
            }
        }));
    }

    private static T[] Quantise<T>(float[] values, int max, Func<int, T> cast)
    {
        var q = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
            q[i] = cast((int)MathF.Round(Math.Clamp(values[i], 0f, 1f) * max, MidpointRounding.AwayFromZero));
        return q;
    }
}
