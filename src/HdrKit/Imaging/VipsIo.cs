using NetVips;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// The libvips plumbing shared by the LDR and float-TIFF readers/writers: loading from a buffer (libvips caches
/// file loads by name, which would return stale pixels after a file is rewritten), autorotation, alpha removal,
/// and turning libvips failures into one-sentence errors naming the file.
/// </summary>
internal static class VipsIo
{
    /// <summary>Decoded samples in HWC order plus what the file held before alpha was dropped.</summary>
    internal readonly record struct Decoded(Image Image, int Channels, Enums.BandFormat Format, bool HadAlpha) : IDisposable
    {
        public void Dispose() => Image.Dispose();
    }

    /// <summary>Loads, applies EXIF orientation, and drops alpha; refuses colour spaces other than grey and RGB.</summary>
    public static Decoded Load(string path)
    {
        var bytes = ByteCursor.ReadAllBytes(path);
        Image? loaded = null;
        try
        {
            // libjpeg reports damaged entropy data only as a warning and fills the rest with grey; merged, that
            // becomes a silently wrong radiance map, so JPEGs fail on warnings unless the caller accepts them.
            var failOn = IsJpeg(bytes) && !AcceptCorruptJpeg ? Enums.FailOn.Warning : Enums.FailOn.Error;
            loaded = Guard(path, () => Image.NewFromBuffer(bytes, failOn: failOn));
            // libvips reads only the header here; checking its size first keeps a small file that claims a huge
            // image from being decoded at all.
            InputBudget.CheckImage(path, loaded.Width, loaded.Height, Math.Max(loaded.Bands, 3));
            var img = Guard(path, () => loaded.Autorot());
            loaded.Dispose();
            loaded = img;
            if (img.Interpretation == Enums.Interpretation.Xyz)
                throw new InvalidDataException($"{path}: holds CIE XYZ samples (a LogLuv TIFF, as OpenCV writes float TIFFs), which are not supported; save it as RGB float TIFF, EXR or PFM");
            if (img.Interpretation is Enums.Interpretation.Cmyk or Enums.Interpretation.Lab or Enums.Interpretation.Labs
                or Enums.Interpretation.Labq)
                throw new InvalidDataException($"{path}: colour space {img.Interpretation} is not supported, expected grey or RGB");
            bool alpha = img.HasAlpha();
            int colour = alpha ? img.Bands - 1 : img.Bands;
            if (colour != 1 && colour != 3)
                throw new InvalidDataException($"{path}: has {img.Bands} bands, expected grey or RGB (with or without alpha)");
            if (alpha)
            {
                var noAlpha = Guard(path, () => img.ExtractBand(0, colour));
                img.Dispose();
                loaded = img = noAlpha;
            }
            return new Decoded(img, colour, img.Format, alpha);
        }
        catch
        {
            loaded?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decode JPEGs whose data libjpeg had to patch over (it warns "Corrupt JPEG data" and carries on) instead of
    /// refusing them. Off unless set here or by HDRKIT_ACCEPT_CORRUPT_JPEG=1.
    /// </summary>
    public static bool AcceptCorruptJpeg { get; set; } = Environment.GetEnvironmentVariable("HDRKIT_ACCEPT_CORRUPT_JPEG") == "1";

    private static bool IsJpeg(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    /// <summary>
    /// Renders the samples into libvips' own buffer and hands them to <paramref name="use"/> before freeing it, so a
    /// large frame does not leave a managed copy of its interleaved samples for the garbage collector.
    /// </summary>
    public static unsafe TResult WithPixels<T, TResult>(string path, Image image, Func<ReadOnlySpan<T>, TResult> use) where T : unmanaged
    {
        ulong size = 0;
        var buffer = Guard(path, () => image.WriteToMemory(out size));
        try { return use(new ReadOnlySpan<T>((void*)buffer, checked((int)(size / (ulong)sizeof(T))))); }
        finally { NetVips.NetVips.Free(buffer); }
    }

    /// <summary>Renders the samples; <typeparamref name="T"/> must match the band format.</summary>
    public static T[] Pixels<T>(string path, Image image) where T : unmanaged => Guard(path, () => image.WriteToMemory<T>());

    public static T Guard<T>(string path, Func<T> action)
    {
        try { return action(); }
        catch (VipsException e)
        {
            var reason = FirstLine(e.Message);
            throw new InvalidDataException(reason.Contains("jpeg", StringComparison.OrdinalIgnoreCase) && !AcceptCorruptJpeg
                ? $"{path}: cannot be decoded ({reason}); if the damage is acceptable, set HDRKIT_ACCEPT_CORRUPT_JPEG=1 to read it anyway"
                : $"{path}: cannot be decoded ({reason})", e);
        }
    }

    public static void GuardWrite(string path, Action action)
    {
        try { action(); }
        catch (VipsException e)
        {
            throw new IOException($"cannot write {path}: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>Builds an image from interleaved samples with the interpretation savers need to tag colour correctly.</summary>
    public static Image FromInterleaved<T>(T[] samples, int width, int height, int bands, Enums.BandFormat format) where T : unmanaged
    {
        using var raw = Image.NewFromMemory(samples, width, height, bands, format);
        var interpretation = (bands, format) switch
        {
            (1, Enums.BandFormat.Uchar) => Enums.Interpretation.Bw,
            (1, Enums.BandFormat.Ushort) => Enums.Interpretation.Grey16,
            (1, _) => Enums.Interpretation.Bw,
            (_, Enums.BandFormat.Ushort) => Enums.Interpretation.Rgb16,
            (_, Enums.BandFormat.Float) => Enums.Interpretation.Scrgb,
            _ => Enums.Interpretation.Srgb,
        };
        return raw.Copy(interpretation: interpretation);
    }

    private static string FirstLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "libvips error" : string.Join("; ", lines.Take(2));
    }
}
