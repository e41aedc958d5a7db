using System.Text;
using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class RadianceHdrTests
{
    private static FloatImage Gradient(int w, int h, int channels = 3)
    {
        var img = new FloatImage(w, h, channels);
        var rng = new Random(7);
        for (int i = 0; i < img.Data.Length; i++)
            img.Data[i] = (float)(Math.Pow(2, rng.NextDouble() * 40 - 20) * rng.NextDouble());
        img.Data[0] = 0f;
        return img;
    }

    /// <summary>RGBE keeps 8 mantissa bits relative to the brightest component of the pixel: error below max/256.</summary>
    private static void AssertWithinRgbe(FloatImage expected, FloatImage actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        for (int y = 0; y < expected.Height; y++)
            for (int x = 0; x < expected.Width; x++)
            {
                float max = Math.Max(expected[0, y, x], Math.Max(expected[1, y, x], expected[2, y, x]));
                for (int c = 0; c < 3; c++)
                    Assert.True(Math.Abs(expected[c, y, x] - actual[c, y, x]) <= max / 256f * 1.0001f + 1e-30f,
                        $"({x},{y},{c}): expected {expected[c, y, x]}, got {actual[c, y, x]}");
            }
    }

    [Fact]
    public void Encode_matches_hand_computed_bytes()
    {
        var b = new byte[4];
        // max 1.0 = 0.5 * 2^1 -> exponent 129, mantissa scale 256 / 2 = 128.
        Rgbe.Encode(1f, 0.5f, 0.25f, b);
        Assert.Equal(new byte[] { 128, 64, 32, 129 }, b);
        // max 3.0 = 0.75 * 2^2 -> scale 64: 3*64=192, 0.1*64=6.4 -> 6 (truncation, as in Ward's setcolr).
        Rgbe.Encode(3f, 0.1f, 0f, b);
        Assert.Equal(new byte[] { 192, 6, 0, 130 }, b);
        Rgbe.Encode(1e-33f, 0f, 0f, b);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, b);
        // Decoding returns the bin centre: (192 + 0.5) * 2^(130-136).
        var (r, g, bl) = Rgbe.Decode(new byte[] { 192, 6, 0, 130 });
        Assert.Equal(192.5f / 64f, r);
        Assert.Equal(6.5f / 64f, g);
        Assert.Equal(0.5f / 64f, bl);
    }

    [Theory]
    [InlineData(17, 5)]   // run-length encoded scanlines
    [InlineData(5, 3)]    // narrower than 8: flat scanlines
    [InlineData(300, 2)]  // runs and literals longer than 127/128
    public void Round_trip_is_within_rgbe_precision(int w, int h)
    {
        using var dir = new TestData.TempDir();
        var img = Gradient(w, h);
        // Long constant stretches exercise the run encoding.
        for (int x = 0; x < w / 2; x++) { img[0, 0, x] = 1f; img[1, 0, x] = 2f; img[2, 0, x] = 3f; }
        var path = dir.File("a.hdr");
        RadianceHdr.Write(path, img);
        AssertWithinRgbe(img, RadianceHdr.Read(path));
    }

    [Fact]
    public void Writer_compresses_constant_rows_and_writes_the_standard_header()
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(64, 4, 3);
        Array.Fill(img.Data, 0.5f);
        var path = dir.File("flat.hdr");
        RadianceHdr.Write(path, img);
        var bytes = File.ReadAllBytes(path);
        string text = Encoding.ASCII.GetString(bytes);
        Assert.StartsWith("#?RADIANCE\n", text);
        Assert.Contains("FORMAT=32-bit_rle_rgbe\n\n-Y 4 +X 64\n", text);
        // Each row: 4-byte marker + 4 components x (run code, value) = 12 bytes instead of 256.
        int headerEnd = text.IndexOf("+X 64\n", StringComparison.Ordinal) + 6;
        Assert.Equal(headerEnd + 4 * 12, bytes.Length);
    }

    [Fact]
    public void Grey_images_are_written_as_equal_rgb()
    {
        using var dir = new TestData.TempDir();
        var grey = new FloatImage(9, 2, 1);
        for (int i = 0; i < grey.Data.Length; i++) grey.Data[i] = i + 1;
        RadianceHdr.Write(dir.File("g.hdr"), grey);
        var back = RadianceHdr.Read(dir.File("g.hdr"));
        Assert.Equal(3, back.Channels);
        for (int c = 0; c < 3; c++) Assert.Equal(back.Plane(0).ToArray(), back.Plane(c).ToArray());
    }

    /// <summary>
    /// Builds a flat (uncompressed) file for a 3x2 image whose pixels are distinct, stored along the given resolution
    /// string. Pixel (x, y) of the standard top-down view holds mantissa 10*y + x + 1 in red.
    /// </summary>
    private static byte[] OrientedFile(string resolution)
    {
        const int W = 3, H = 2;
        var t = resolution.Split(' ');
        char majorAxis = t[0][1], minorAxis = t[2][1];
        bool majorPlus = t[0][0] == '+', minorPlus = t[2][0] == '+';
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes($"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n{resolution}\n"));
        int majorN = majorAxis == 'Y' ? H : W, minorN = majorAxis == 'Y' ? W : H;
        for (int s = 0; s < majorN; s++)
            for (int i = 0; i < minorN; i++)
            {
                // Y grows upward in Radiance coordinates: +Y starts at the bottom row.
                int Coord(char axis, bool plus, int k, int n) => axis == 'X' ? (plus ? k : n - 1 - k) : (plus ? n - 1 - k : k);
                int x = majorAxis == 'X' ? Coord('X', majorPlus, s, W) : Coord('X', minorPlus, i, W);
                int y = majorAxis == 'Y' ? Coord('Y', majorPlus, s, H) : Coord('Y', minorPlus, i, H);
                ms.Write(new byte[] { (byte)(10 * y + x + 1), 0, 0, 136 });
            }
        return ms.ToArray();
    }

    [Theory]
    [InlineData("-Y 2 +X 3")]
    [InlineData("+Y 2 +X 3")]
    [InlineData("-Y 2 -X 3")]
    [InlineData("+Y 2 -X 3")]
    [InlineData("+X 3 -Y 2")]
    [InlineData("+X 3 +Y 2")]
    [InlineData("-X 3 -Y 2")]
    [InlineData("-X 3 +Y 2")]
    public void Every_orientation_is_returned_top_down_left_right(string resolution)
    {
        var img = RadianceHdr.Read(OrientedFile(resolution), "oriented.hdr");
        Assert.Equal((3, 2), (img.Width, img.Height));
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(10 * y + x + 1 + 0.5f, img[0, y, x]);
    }

    [Fact]
    public void Hand_made_bottom_up_file_is_flipped()
    {
        // +Y: the first stored scanline is the bottom row. Row values 1 (bottom) and 2 (top) in red.
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes("#?RGBE\n\n+Y 2 +X 2\n"));
        ms.Write(new byte[] { 1, 0, 0, 136, 1, 0, 0, 136, 2, 0, 0, 136, 2, 0, 0, 136 });
        var img = RadianceHdr.Read(ms.ToArray(), "up.hdr");
        Assert.Equal(2.5f, img[0, 0, 0]);
        Assert.Equal(1.5f, img[0, 1, 1]);
    }

    [Fact]
    public void Old_style_runs_repeat_the_previous_pixel()
    {
        // Width 10: pixel A, a run of 4 copies (1,1,1,4), pixel B, then a 2-byte count: (1,1,1,3) then (1,1,1,0)
        // gives 3 + (0 << 8) = 3 more copies of B. Total 1 + 4 + 1 + 3 = 9, then one literal C.
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 10\n"));
        ms.Write(new byte[] { 10, 20, 30, 136, 1, 1, 1, 4, 40, 50, 60, 136, 1, 1, 1, 3, 1, 1, 1, 0, 70, 80, 90, 136 });
        var img = RadianceHdr.Read(ms.ToArray(), "old.hdr");
        float[] expectRed = { 10, 10, 10, 10, 10, 40, 40, 40, 40, 70 };
        for (int x = 0; x < 10; x++) Assert.Equal(expectRed[x] + 0.5f, img[0, 0, x]);
        Assert.Equal(90.5f, img[2, 0, 9]);
    }

    [Fact]
    public void Exposure_lines_divide_the_stored_values()
    {
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes("#?RADIANCE\nEXPOSURE=2\nFORMAT=32-bit_rle_rgbe\nEXPOSURE= 4.0\nSOFTWARE=x\n\n-Y 1 +X 1\n"));
        ms.Write(new byte[] { 127, 0, 0, 136 });
        Assert.Equal(127.5f / 8f, RadianceHdr.Read(ms.ToArray(), "e.hdr")[0, 0, 0]);
        Assert.Equal(127.5f, RadianceHdr.Read(ms.ToArray(), "e.hdr", applyExposure: false)[0, 0, 0]);
    }

    [Fact]
    public void Xyze_files_are_refused()
    {
        var bytes = Encoding.ASCII.GetBytes("#?RADIANCE\nFORMAT=32-bit_rle_xyze\n\n-Y 1 +X 1\n\0\0\0\0");
        var e = Assert.Throws<InvalidDataException>(() => RadianceHdr.Read(bytes, "xyz.hdr"));
        Assert.Contains("xyz.hdr", e.Message);
        Assert.Contains("XYZ", e.Message);
    }

    [Fact]
    public void Truncated_and_foreign_files_fail_with_the_file_name()
    {
        using var dir = new TestData.TempDir();
        var img = Gradient(16, 4);
        var path = dir.File("t.hdr");
        RadianceHdr.Write(path, img);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => RadianceHdr.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Throws<InvalidDataException>(() => RadianceHdr.Read(Encoding.ASCII.GetBytes("P6\n1 1\n255\nabc"), "x.ppm"));
        Assert.Throws<FileNotFoundException>(() => RadianceHdr.Read(dir.File("missing.hdr")));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(-1f, "negative")]
    [InlineData(float.PositiveInfinity, "infinite")]
    public void Invalid_radiance_is_refused_before_writing(float bad, string word)
    {
        using var dir = new TestData.TempDir();
        var img = Gradient(6, 4);
        img[2, 3, 5] = bad;
        var path = dir.File("bad.hdr");
        var e = Assert.Throws<ArgumentException>(() => RadianceHdr.Write(path, img));
        Assert.Contains("x=5, y=3", e.Message);
        Assert.Contains("channel 2", e.Message);
        Assert.Contains(word, e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("grad_cv2.hdr")] // OpenCV: new-style RLE
    [InlineData("grad_pfs.hdr")] // pfstools (pfsoutrgbe)
    public void Files_from_other_tools_read_within_rgbe_precision(string name)
    {
        // Writers truncate or round the mantissa: one step (1/128 of the pixel's largest component) covers both.
        var img = RadianceHdr.Read(HdrFixtures.Path(name));
        HdrFixtures.AssertRelativeToPixelMax(HdrFixtures.Gradient(), img, 1f / 128f);
    }

    [Fact]
    public void Our_file_is_read_by_opencv()
    {
        using var dir = new TestData.TempDir();
        var img = HdrFixtures.Gradient();
        var path = dir.File("ours.hdr");
        RadianceHdr.Write(path, img);
        var got = PeerTools.Floats(PeerTools.PythonCv2(
            "import cv2, sys\nim = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)\n" +
            "print(' '.join(repr(float(v)) for v in im[..., ::-1].reshape(-1)))", path));
        // OpenCV decodes to the bottom of the bin (no +0.5), so it sees our values within one mantissa step.
        HdrFixtures.AssertRelativeToPixelMax(img, FloatImage.FromInterleaved(got, 16, 8, 3), 1f / 128f);
    }
}
