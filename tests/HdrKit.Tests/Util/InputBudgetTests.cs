using HdrKit.Imaging;
using HdrKit.Util;

namespace HdrKit.Tests.Util;

public class InputBudgetTests
{
    [Fact]
    public void AValidFileOverTheBudgetIsRefusedWithOneLineNamingTheFileAndTheKnob()
    {
        var path = TestData.Fixture("Imaging", "grey_le.pfm");
        var image = Pfm.Read(path);
        using (InputBudget.Use(maxPixels: image.PixelCount - 1, maxBytes: 1L << 30))
        {
            var e = Assert.Throws<InvalidDataException>(() => Pfm.Read(path));
            Assert.StartsWith(path, e.Message);
            Assert.Contains("pixel budget", e.Message);
            Assert.Contains("HDRKIT_MAX_PIXELS", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        Assert.Equal(image.PixelCount, Pfm.Read(path).PixelCount); // the scope ended: the default budget again
    }

    [Theory]
    [InlineData("grad_cv2_half_zip.exr")]
    [InlineData("grad_cv2.hdr")]
    [InlineData("grad_float.tif")]
    public void EveryImageReaderChecksTheBudget(string fixture)
    {
        var path = TestData.Fixture("Imaging", fixture);
        using (InputBudget.Use(maxPixels: 16, maxBytes: 1L << 30))
            Assert.Contains("pixel budget", Assert.Throws<InvalidDataException>(() => HdrImageFile.Read(path)).Message);
        using (InputBudget.Use(maxPixels: 1L << 20, maxBytes: 64))
            Assert.Contains("bytes", Assert.Throws<InvalidDataException>(() => HdrImageFile.Read(path)).Message);
    }

    [Fact]
    public void SizeProductsThatOverflowAreFormatErrors()
    {
        Assert.Equal(24, InputBudget.Product("f", [2, 3, 4], "t"));
        Assert.Contains("overflows", Assert.Throws<InvalidDataException>(() => InputBudget.Product("f", [1L << 40, 1L << 40], "t")).Message);
        Assert.Contains("negative", Assert.Throws<InvalidDataException>(() => InputBudget.Product("f", [2, -1], "t")).Message);
    }

    [Fact]
    public void TheBudgetIsPositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InputBudget.Use(0, 1));
        Assert.True(InputBudget.MaxPixels > 0 && InputBudget.MaxBytes > 0);
    }
}
