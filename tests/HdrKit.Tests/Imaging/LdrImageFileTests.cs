using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class LdrImageFileTests
{
    private static string Fixture(string name) => TestData.Fixture("Imaging", name);

    /// <summary>Checks every sample's code value against interleaved expected codes from the fixture script.</summary>
    private static void AssertCodes(LdrImage img, double[] hwc, int channels)
    {
        int max = img.MaxCode;
        for (int y = 0; y < img.Height; y++)
            for (int x = 0; x < img.Width; x++)
                for (int c = 0; c < 3; c++)
                {
                    double want = hwc[(y * img.Width + x) * channels + (channels == 1 ? 0 : c)];
                    float got = img.Pixels[c, y, x];
                    Assert.True(got >= 0f && got <= 1f);
                    Assert.Equal(want, Math.Round(got * max));
                }
    }

    [Theory]
    [InlineData("rgb16.png")]
    [InlineData("rgb16.tif")]
    public void Sixteen_bit_files_from_opencv_keep_their_codes(string name)
    {
        var e = FixtureJson.Load("ldr_expected.json", "rgb16");
        var img = LdrImageFile.Read(Fixture(name));
        Assert.Equal((16, 16, 8), (img.BitDepth, img.Width, img.Height));
        Assert.Equal(3, img.Pixels.Channels);
        AssertCodes(img, e.Numbers("hwc"), 3);
    }

    [Fact]
    public void Eight_bit_tiff_from_pil_reads_exactly()
    {
        var e = FixtureJson.Load("ldr_expected.json", "rgb8");
        var img = LdrImageFile.Read(Fixture("rgb8.tif"));
        Assert.Equal((8, 7, 4), (img.BitDepth, img.Width, img.Height));
        AssertCodes(img, e.Numbers("hwc"), 3);
    }

    [Fact]
    public void Grey_is_replicated_and_alpha_dropped()
    {
        var e = FixtureJson.Load("ldr_expected.json", "grey_alpha8");
        var img = LdrImageFile.Read(Fixture("grey_alpha8.png"));
        Assert.Equal((1, true, 8), (img.FileChannels, img.HadAlpha, img.BitDepth));
        AssertCodes(img, e.Numbers("hw"), 1);
    }

    [Fact]
    public void Exif_orientation_is_applied()
    {
        // Stored 16x8 with red left, blue right; orientation 6 displays it 8x16 with red on top.
        var img = LdrImageFile.Read(Fixture("exif_rot6.jpg"));
        Assert.Equal((8, 16), (img.Width, img.Height));
        Assert.True(img.Pixels[0, 2, 4] > 0.9f && img.Pixels[2, 2, 4] < 0.1f, "top should be red");
        Assert.True(img.Pixels[2, 13, 4] > 0.9f && img.Pixels[0, 13, 4] < 0.1f, "bottom should be blue");
    }

    [Theory]
    [InlineData("a.png", 8)]
    [InlineData("a.png", 16)]
    [InlineData("a.tif", 8)]
    [InlineData("a.tiff", 16)]
    public void Written_files_round_trip_to_the_nearest_code(string name, int bits)
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(17, 5, 3);
        var rng = new Random(3);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)rng.NextDouble();
        img.Data[0] = -0.5f; img.Data[1] = 1.5f; // clamped
        var path = dir.File(name);
        LdrImageFile.Write(path, img, bits);
        var back = LdrImageFile.Read(path);
        Assert.Equal(bits, back.BitDepth);
        int max = (1 << bits) - 1;
        for (int i = 0; i < img.Data.Length; i++)
        {
            double want = Math.Round(Math.Clamp(img.Data[i], 0, 1) * max, MidpointRounding.AwayFromZero);
            Assert.Equal(want, Math.Round(back.Pixels.Data[i] * max));
        }
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Sixteen_bit_png_is_read_by_opencv_with_the_same_codes()
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(6, 2, 3);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = i / 35f;
        var path = dir.File("peer.png");
        LdrImageFile.Write(path, img, 16);
        var output = PeerTools.PythonCv2(
            "import cv2, sys\nim = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)\n" +
            "assert im.dtype.name == 'uint16', im.dtype\nprint(' '.join(str(v) for v in im[..., ::-1].reshape(-1)))", path);
        var codes = PeerTools.Floats(output);
        var hwc = img.ToInterleaved();
        Assert.Equal(hwc.Length, codes.Length);
        for (int i = 0; i < hwc.Length; i++) Assert.Equal(Math.Round(hwc[i] * 65535.0, MidpointRounding.AwayFromZero), codes[i]);
    }

    [Fact]
    public void Bad_writes_fail_clearly_without_leaving_files()
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(4, 4, 3);
        Assert.Contains(".bmp", Assert.Throws<ArgumentException>(() => LdrImageFile.Write(dir.File("a.bmp"), img)).Message);
        Assert.Throws<ArgumentException>(() => LdrImageFile.Write(dir.File("a.jpg"), img, 16));
        img[1, 2, 3] = float.NaN;
        Assert.Contains("x=3, y=2", Assert.Throws<ArgumentException>(() => LdrImageFile.Write(dir.File("a.png"), img)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => LdrImageFile.Write(dir.File("missing/a.png"), new FloatImage(2, 2, 3)));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Unreadable_files_name_the_file()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("junk.png");
        File.WriteAllText(path, "not an image");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => LdrImageFile.Read(path)).Message);
        Assert.Throws<FileNotFoundException>(() => LdrImageFile.Read(dir.File("none.png")));
    }

    [Fact]
    public void Memorial_png_reads_as_512x768_rgb_8bit()
    {
        var path = TestData.SharedOrSkip("data", "brackets", "memorial", "memorial0061.png");
        var img = LdrImageFile.Read(path);
        Assert.Equal((512, 768, 8, 3), (img.Width, img.Height, img.BitDepth, img.FileChannels));
    }
}
