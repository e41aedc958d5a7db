using HdrKit.Exposure;
using HdrKit.Imaging;
using NetVips;

namespace HdrKit.Tests.Inference;

/// <summary>
/// Writes small brackets of a known radiance ramp (γ 2.2 camera) into a folder, as JPEGs with EXIF exposure time and
/// capture time (libvips writes the exif-ifd* fields it is given) or as PNGs without metadata.
/// </summary>
internal static class BatchFolder
{
    public static readonly double[] Seconds = { 1 / 64.0, 1 / 16.0, 1 / 4.0 };

    /// <summary>Radiance doubles every eighth of the width: left to right spans 8 stops.</summary>
    public static float Radiance(int c, int y, int x, int width) =>
        (float)Math.Pow(2, 8.0 * x / width - 2) * (1 + 0.1f * c) * (1 + 0.2f * MathF.Sin(y));

    public static FloatImage Frame(double seconds, int width = 48, int height = 32)
    {
        var frame = new FloatImage(width, height, 3);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    frame[c, y, x] = GammaResponse.ToLdr(Radiance(c, y, x, width), seconds);
        return frame;
    }

    public static string WritePng(string folder, string name, double seconds)
    {
        var path = Path.Combine(folder, name + ".png");
        LdrImageFile.Write(path, Frame(seconds));
        return path;
    }

    public static string WriteJpeg(string folder, string name, double seconds, DateTime taken)
    {
        var plain = Path.Combine(folder, name + ".plain.png");
        LdrImageFile.Write(plain, Frame(seconds));
        var path = Path.Combine(folder, name + ".jpg");
        WithExif(plain, path, taken, seconds);
        File.Delete(plain);
        return path;
    }

    /// <summary>Copies an image as a JPEG with the given capture time (and exposure time when given), other EXIF kept.</summary>
    public static void WithExif(string source, string target, DateTime taken, double? seconds = null, double scale = 1)
    {
        using var loaded = Image.NewFromBuffer(File.ReadAllBytes(source));
        using var scaled = scale == 1 ? loaded.Copy() : loaded.Resize(scale);
        using var tagged = scaled.Mutate(m =>
        {
            m.Set(GValue.GStrType, "exif-ifd2-DateTimeOriginal", taken.ToString("yyyy:MM:dd HH:mm:ss"));
            m.Set(GValue.GStrType, "exif-ifd2-SubSecTimeOriginal", (taken.Millisecond / 10).ToString("00"));
            if (seconds is double t) m.Set(GValue.GStrType, "exif-ifd2-ExposureTime", $"1/{Math.Round(1 / t)}");
        });
        tagged.Jpegsave(target, q: 95);
    }
}
