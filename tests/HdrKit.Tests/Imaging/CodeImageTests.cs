using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Models;

namespace HdrKit.Tests.Imaging;

public class CodeImageTests
{
    [Theory]
    [InlineData("rgb16.png")]
    [InlineData("rgb8.tif")]
    [InlineData("grey_alpha8.png")]
    [InlineData("exif_rot6.jpg")]
    public void Codes_give_exactly_the_samples_the_float_reader_gives(string name)
    {
        var path = TestData.Fixture("Imaging", name);
        var floats = LdrImageFile.Read(path);
        var codes = LdrImageFile.ReadCodes(path);
        Assert.Equal((floats.BitDepth, floats.Width, floats.Height), (codes.BitDepth, codes.Width, codes.Height));
        Assert.Equal(floats.Pixels.Data, codes.ToFloatImage().Data);
    }

    [Fact]
    public void Grey_codes_are_replicated_to_three_planes()
    {
        var codes = CodeImage.FromInterleaved(new ushort[] { 0, 1000, 65535 }, 3, 1, 1);
        var image = codes.ToFloatImage();
        for (int c = 0; c < 3; c++)
            Assert.Equal(new[] { 0f, 1000 * (1f / 65535), 1f }, image.Plane(c).ToArray());
    }

    /// <summary>A network tile packed from a bracket's codes (through tables) equals the one packed from its float frames.</summary>
    [Fact]
    public void Network_input_from_codes_equals_input_from_float_frames()
    {
        var random = new Random(3);
        var codes = Enumerable.Range(0, 3).Select(_ =>
        {
            var hwc = new byte[40 * 24 * 3];
            random.NextBytes(hwc);
            return CodeImage.FromInterleaved(hwc, 40, 24, 3);
        }).ToArray();
        double[] seconds = [1 / 60.0, 1 / 1000.0, 1 / 250.0];
        var fromCodes = new Bracket(codes, seconds, 2);
        var fromFloats = new Bracket(codes.Select(c => c.ToFloatImage()).ToArray(), seconds, 2);
        var spec = new NetworkInputSpec(InputOrder.LinearFirst, [3], PadMultiple: 1, ExposureTimeOrigin: ExposureTimeOrigin.ShortestIsOne);
        foreach (var region in new[] { new TileRegion(5, 7, 13, 21), new TileRegion(1, 2, 8, 10, Step: 3) })
        {
            using var a = new NetworkInputCrop(fromCodes, spec).Crop(region);
            using var b = new NetworkInputCrop(fromFloats, spec).Crop(region);
            Assert.Equal(b.data<float>().ToArray(), a.data<float>().ToArray());
        }
        Assert.NotNull(fromCodes.SortedByExposure().Codes);
    }
}
