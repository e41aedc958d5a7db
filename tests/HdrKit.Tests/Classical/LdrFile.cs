using HdrKit.Imaging;

namespace HdrKit.Tests.Classical;

/// <summary>Reads an 8-bit JPEG/PNG/TIFF into [0,1] RGB with libvips, for tests on the real brackets in ../shared.</summary>
internal static class LdrFile
{
    public static FloatImage Read(string path)
    {
        using var image = NetVips.Image.NewFromFile(path, access: NetVips.Enums.Access.Sequential);
        using var rgb = image.Bands >= 3 ? image.ExtractBand(0, 3) : image.Bandjoin(image, image);
        using var bytes = rgb.Cast(NetVips.Enums.BandFormat.Uchar);
        var data = bytes.WriteToMemory();
        return FloatImage.FromInterleaved(data.Select(b => b / 255f).ToArray(), bytes.Width, bytes.Height, 3);
    }
}
