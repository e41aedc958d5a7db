using HdrKit.Cli;
using HdrKit.Imaging;

namespace HdrKit.Tests.Semantic;

public class SegmentCommandTests
{
    private static int Run(params string[] args) => CliRunner.Run(Program.BuildRoot(), args);

    [Fact]
    public void IdsPngHoldsTheSegmentIdsOnThe16BitScale()
    {
        DeepLabModel.PathOrSkip();
        using var dir = new TestData.TempDir();
        // Two flat regions, the left one twice as wide: ids follow decreasing area, so left = 0, right = 1.
        var image = new FloatImage(96, 64, 3);
        for (int c = 0; c < 3; c++) for (int y = 0; y < 64; y++) for (int x = 0; x < 96; x++) image[c, y, x] = x < 64 ? 0.2f : 0.8f;
        var input = Path.Combine(dir.Path, "two.png");
        LdrImageFile.Write(input, image);
        var idsPath = Path.Combine(dir.Path, "ids.png");
        Assert.Equal(0, Run("segment", input, "-o", Path.Combine(dir.Path, "preview.png"), "--ids", idsPath,
            "--working-size", "129", "--no-class-boundaries"));

        var read = LdrImageFile.Read(idsPath);
        Assert.Equal(16, read.BitDepth);
        var ids = read.Pixels;
        Assert.Equal((96, 64), (ids.Width, ids.Height));
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 96; x++)
            {
                if (Math.Abs(x - 63.5) < 4) continue;   // the σ-blurred border may join either side
                Assert.Equal(x < 64 ? 0f : 1f / 65535f, ids[0, y, x], 1e-9);
            }
    }
}
