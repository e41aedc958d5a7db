using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class HdrImageFileTests
{
    [Theory]
    [InlineData("grad_cv2.pfm")]
    [InlineData("grad_float.tif")]
    [InlineData("grad_cv2_float_zip.exr")]
    public void Reads_by_extension(string name)
    {
        HdrFixtures.AssertExact(HdrFixtures.Gradient(), HdrImageFile.Read(HdrFixtures.Path(name)));
    }

    [Fact]
    public void Grey_files_come_back_as_rgb()
    {
        var img = HdrImageFile.Read(HdrFixtures.Path("grey_le.pfm"));
        var grey = HdrFixtures.GreyGradient();
        Assert.Equal(3, img.Channels);
        for (int c = 0; c < 3; c++) Assert.Equal(grey.Plane(0).ToArray(), img.Plane(c).ToArray());
    }

    [Theory]
    [InlineData("a.hdr")]
    [InlineData("a.PIC")]
    [InlineData("a.exr")]
    [InlineData("a.pfm")]
    [InlineData("a.tiff")]
    public void Writes_by_extension_and_reads_back(string name)
    {
        using var dir = new TestData.TempDir();
        var img = HdrFixtures.Gradient();
        var path = dir.File(name);
        HdrImageFile.Write(path, img, new HdrWriteOptions(ExrPixelType.Float, ExrCompression.Zips));
        var back = HdrImageFile.Read(path);
        // Everything but RGBE is exact for this gradient (float EXR; PFM and TIFF are float32).
        if (name.EndsWith(".hdr") || name.EndsWith(".PIC")) HdrFixtures.AssertRelativeToPixelMax(img, back, 1f / 256f);
        else HdrFixtures.AssertExact(img, back);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Overwrites_an_existing_file_atomically()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("a.pfm");
        var first = new FloatImage(2, 2, 3);
        HdrImageFile.Write(path, first);
        var second = HdrFixtures.Gradient();
        HdrImageFile.Write(path, second);
        HdrFixtures.AssertExact(second, HdrImageFile.Read(path));
        var bad = second.Clone();
        bad[1, 0, 0] = float.NaN;
        Assert.Throws<ArgumentException>(() => HdrImageFile.Write(path, bad));
        HdrFixtures.AssertExact(second, HdrImageFile.Read(path)); // the old file survives a refused write
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void User_errors_are_one_clear_sentence()
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(2, 2, 3);
        Assert.Contains(".png", Assert.Throws<ArgumentException>(() => HdrImageFile.Write(dir.File("a.png"), img)).Message);
        Assert.Contains(".jpg", Assert.Throws<ArgumentException>(() => HdrImageFile.Read(dir.File("a.jpg"))).Message);
        Assert.Contains("missing.exr", Assert.Throws<FileNotFoundException>(() => HdrImageFile.Read(dir.File("missing.exr"))).Message);
        Assert.Contains("nope", Assert.Throws<DirectoryNotFoundException>(() => HdrImageFile.Write(dir.File("nope/a.exr"), img)).Message);
        foreach (var name in new[] { "t.hdr", "t.exr", "t.pfm", "t.tif" })
        {
            var path = dir.File(name);
            HdrImageFile.Write(path, HdrFixtures.Gradient());
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<InvalidDataException>(() => HdrImageFile.Read(path));
            Assert.Contains(name, e.Message);
        }
    }
}
