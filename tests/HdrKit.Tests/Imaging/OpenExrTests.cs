using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class OpenExrTests
{
    [Theory]
    [InlineData("half", "none")]
    [InlineData("half", "rle")]
    [InlineData("half", "zips")]
    [InlineData("half", "zip")]
    [InlineData("float", "none")]
    [InlineData("float", "rle")]
    [InlineData("float", "zips")]
    [InlineData("float", "zip")]
    [InlineData("half", "piz")]
    [InlineData("float", "piz")]
    public void OpenCV_files_read_exactly(string type, string compression)
    {
        // The gradient's values are exact in half precision, so half files compare bit for bit too.
        var img = OpenExr.Read(HdrFixtures.Path($"grad_cv2_{type}_{compression}.exr"));
        HdrFixtures.AssertExact(HdrFixtures.Gradient(), img);
    }

    [Fact]
    public void Y_channel_reads_as_grey_and_alpha_is_dropped()
    {
        HdrFixtures.AssertExact(HdrFixtures.GreyGradient(), OpenExr.Read(HdrFixtures.Path("grey_cv2_half_zip.exr")));
        HdrFixtures.AssertExact(HdrFixtures.Gradient(), OpenExr.Read(HdrFixtures.Path("rgba_cv2_float_zips.exr")));
    }

    [Fact]
    public void Pfstools_piz_file_reads_exactly()
    {
        // pfsinpfm -> pfsoutexr goes through XYZ, but for this gradient it lands on the same half values.
        HdrFixtures.AssertExact(HdrFixtures.Gradient(), OpenExr.Read(HdrFixtures.Path("grad_pfs.exr")));
    }

    [Theory]
    [InlineData("grad_tiled.exr", "tiled")]
    public void Unsupported_files_are_refused_naming_the_file(string name, string word)
    {
        var e = Assert.Throws<InvalidDataException>(() => OpenExr.Read(HdrFixtures.Path(name)));
        Assert.Contains(name, e.Message);
        Assert.Contains(word, e.Message);
    }

    [Theory]
    [InlineData(ExrPixelType.Float, ExrCompression.None)]
    [InlineData(ExrPixelType.Float, ExrCompression.Zips)]
    [InlineData(ExrPixelType.Float, ExrCompression.Zip)]
    [InlineData(ExrPixelType.Half, ExrCompression.None)]
    [InlineData(ExrPixelType.Half, ExrCompression.Zips)]
    [InlineData(ExrPixelType.Half, ExrCompression.Zip)]
    public void Round_trip_is_exact_for_float_and_within_half_precision(ExrPixelType type, ExrCompression compression)
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(17, 35, 3); // 35 lines: two full 16-line ZIP blocks and a partial one
        var rng = new Random(11);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)(Math.Pow(2, rng.NextDouble() * 20 - 10) * rng.NextDouble());
        for (int x = 0; x < 17; x++) img[1, 4, x] = 0.25f; // a constant row, compressible
        var path = dir.File("a.exr");
        OpenExr.Write(path, img, type, compression);
        var back = OpenExr.Read(path);
        if (type == ExrPixelType.Float) HdrFixtures.AssertExact(img, back);
        else
            for (int i = 0; i < img.Data.Length; i++)
            {
                // Half keeps 11 significant bits; rounding to nearest errs by at most 2^-11 relative
                // (absolute 2^-25 in the subnormal range).
                float v = img.Data[i];
                Assert.True(Math.Abs(back.Data[i] - v) <= Math.Max(v * MathF.Pow(2, -11), MathF.Pow(2, -25)), $"{v} -> {back.Data[i]}");
            }
    }

    [Theory]
    [InlineData(ExrPixelType.Half, ExrCompression.Zip)]
    [InlineData(ExrPixelType.Float, ExrCompression.Zips)]
    [InlineData(ExrPixelType.Half, ExrCompression.None)]
    public void Batches_of_reused_block_buffers_write_the_same_file(ExrPixelType type, ExrCompression compression)
    {
        var img = RandomImage(23, 100, 5);
        var whole = new MemoryStream();
        int held = OpenExr.WriteUnchecked(whole, img, type, compression, int.MaxValue);
        int lines = OpenExr.LinesPerBlock(compression), blocks = (100 + lines - 1) / lines;
        Assert.Equal(blocks, held);
        // Two blocks' raw bytes per batch: every slot is reused many times, the last batch is partial.
        int rawBytes = lines * 23 * 3 * (type == ExrPixelType.Half ? 2 : 4);
        var batched = new MemoryStream();
        Assert.Equal(2, OpenExr.WriteUnchecked(batched, img, type, compression, 2 * rawBytes + 1));
        Assert.Equal(whole.ToArray(), batched.ToArray());
        var back = OpenExr.Read(batched.ToArray(), "batched.exr");
        if (type == ExrPixelType.Float) HdrFixtures.AssertExact(img, back);
    }

    [Fact]
    public void Writing_allocates_a_fixed_set_of_block_buffers_whatever_the_height()
    {
        // One encoding thread, so the current thread's allocation counter sees every block; a discarding stream,
        // so the output costs nothing. Blocks of 128 × 16 half RGB lines are 12 KB raw; 8 blocks per batch.
        const int width = 128, rawBytes = 16 * width * 3 * 2;
        long Allocated(int height)
        {
            var img = RandomImage(width, height, 3);
            long before = GC.GetAllocatedBytesForCurrentThread();
            OpenExr.WriteUnchecked(new DiscardingStream(), img, ExrPixelType.Half, ExrCompression.Zip, 8 * rawBytes, parallelism: 1);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(256); // warm-up: first-use allocations of zlib and the thread pool
        long small = Allocated(16 * 64), large = Allocated(16 * 640);
        Assert.True(small >= 8 * 2 * rawBytes, $"the counter missed the encoder's buffers ({small} bytes)");
        // Per extra block only the offset table entry and zlib's stream object; a fresh raw, predicted and compressed
        // array per block (the former encoder) is three times the raw size.
        double perBlock = (large - small) / 576.0;
        Assert.True(perBlock < rawBytes / 8.0, $"{perBlock:F0} bytes allocated per block of {rawBytes} raw bytes");
    }

    private static FloatImage RandomImage(int width, int height, int seed)
    {
        var img = new FloatImage(width, height, 3);
        var rng = new Random(seed);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)(Math.Pow(2, rng.NextDouble() * 8 - 4) * (i % 7 == 0 ? 1 : 0.5));
        return img;
    }

    /// <summary>A seekable stream that keeps nothing: the length of what was written, no bytes.</summary>
    private sealed class DiscardingStream : Stream
    {
        private long length;
        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset, SeekOrigin.Current => Position + offset, _ => length + offset,
        };
        public override void SetLength(long value) => length = value;
        public override void Write(byte[] buffer, int offset, int count)
        {
            Position += count;
            length = Math.Max(length, Position);
        }
    }

    [Fact]
    public void Grey_round_trips_through_a_Y_channel()
    {
        using var dir = new TestData.TempDir();
        var img = HdrFixtures.GreyGradient();
        OpenExr.Write(dir.File("y.exr"), img, ExrPixelType.Float, ExrCompression.Zips);
        HdrFixtures.AssertExact(img, OpenExr.Read(dir.File("y.exr")));
    }

    [Theory]
    [InlineData(ExrCompression.Zip, "zip, multi-scanline blocks")]
    [InlineData(ExrCompression.Zips, "zip, individual scanlines")]
    [InlineData(ExrCompression.None, "none")]
    public void Exrheader_accepts_our_header(ExrCompression compression, string expected)
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("ours.exr");
        OpenExr.Write(path, HdrFixtures.Gradient(), ExrPixelType.Half, compression);
        var (code, stdout, stderr) = PeerTools.Tool("exrheader", path);
        Assert.True(code == 0, stderr);
        Assert.Contains($"compression (type compression): {expected}", stdout);
        Assert.Contains("B, 16-bit floating-point, sampling 1 1", stdout);
        Assert.Contains("R, 16-bit floating-point, sampling 1 1", stdout);
        Assert.Contains("dataWindow (type box2i): (0 0) - (15 7)", stdout);
        Assert.Contains("screenWindowWidth (type float): 1", stdout);
    }

    [Theory]
    [InlineData(ExrPixelType.Half, ExrCompression.Zip)]
    [InlineData(ExrPixelType.Float, ExrCompression.Zips)]
    [InlineData(ExrPixelType.Float, ExrCompression.None)]
    public void Our_file_is_read_by_opencv(ExrPixelType type, ExrCompression compression)
    {
        using var dir = new TestData.TempDir();
        var img = HdrFixtures.Gradient();
        var path = dir.File("ours.exr");
        OpenExr.Write(path, img, type, compression);
        Environment.SetEnvironmentVariable("OPENCV_IO_ENABLE_OPENEXR", "1");
        var got = PeerTools.Floats(PeerTools.PythonCv2(
            "import cv2, sys\nim = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)\n" +
            "print(' '.join(repr(float(v)) for v in im[..., ::-1].reshape(-1)))", path));
        Assert.Equal(img.ToInterleaved(), got);
    }

    [Fact]
    public void Bad_input_is_refused_clearly()
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(4, 3, 3);
        img[0, 2, 1] = 70000f;
        var e = Assert.Throws<ArgumentException>(() => OpenExr.Write(dir.File("big.exr"), img));
        Assert.Contains("x=1, y=2", e.Message);
        OpenExr.Write(dir.File("big.exr"), img, ExrPixelType.Float);
        Assert.Equal(70000f, OpenExr.Read(dir.File("big.exr"))[0, 2, 1]);
        Assert.Throws<ArgumentException>(() => OpenExr.Write(dir.File("p.exr"), img, ExrPixelType.Float, ExrCompression.Piz));

        var bytes = File.ReadAllBytes(HdrFixtures.Path("grad_cv2_half_zip.exr"));
        Assert.Contains("cut.exr", Assert.Throws<InvalidDataException>(() => OpenExr.Read(bytes[..^20], "cut.exr")).Message);
        Assert.Throws<InvalidDataException>(() => OpenExr.Read(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, "junk.exr"));
    }

    [Theory]
    [InlineData("half")]
    [InlineData("float")]
    public void Large_piz_files_from_opencv_match_opencvs_own_decoding(string type)
    {
        // A real 512x256 radiance map through OpenCV's PIZ writer: many distinct values, so the wavelet runs at
        // every level and the float variant is likely to need the 16-bit (modular) wavelet arithmetic.
        var hdri = TestData.SharedOrSkip("data", "hdri");
        var source = Directory.GetFiles(hdri, "*.hdr").OrderBy(f => f, StringComparer.Ordinal).First();
        using var dir = new TestData.TempDir();
        var exr = dir.File("piz.exr");
        var raw = dir.File("decoded.f32");
        Environment.SetEnvironmentVariable("OPENCV_IO_ENABLE_OPENEXR", "1");
        PeerTools.PythonCv2(
            "import cv2, sys, numpy as np\n" +
            "im = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)\n" +
            "t = cv2.IMWRITE_EXR_TYPE_HALF if sys.argv[4] == 'half' else cv2.IMWRITE_EXR_TYPE_FLOAT\n" +
            "assert cv2.imwrite(sys.argv[2], im, [cv2.IMWRITE_EXR_TYPE, t, cv2.IMWRITE_EXR_COMPRESSION, cv2.IMWRITE_EXR_COMPRESSION_PIZ])\n" +
            "back = cv2.imread(sys.argv[2], cv2.IMREAD_UNCHANGED)\n" +
            "open(sys.argv[3], 'wb').write(np.ascontiguousarray(back[..., ::-1]).astype('<f4').tobytes())\n" +
            "print(back.shape[1], back.shape[0])", source, exr, raw, type);
        var ours = OpenExr.Read(exr);
        var bytes = File.ReadAllBytes(raw);
        var expected = FloatImage.FromInterleaved(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes), ours.Width, ours.Height, 3);
        Assert.Equal(bytes.Length / 12, ours.PixelCount);
        HdrFixtures.AssertExact(expected, ours);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(4097)]
    public void The_zip_predictor_is_the_formats_split_and_difference_at_every_length(int length)
    {
        // The OpenEXR predictor as its reference code states it, one byte at a time: even bytes first, odd bytes
        // after, then each byte minus its predecessor plus 128.
        var raw = new byte[length];
        new Random(length).NextBytes(raw);
        var expected = new byte[length];
        int half = (length + 1) / 2;
        for (int i = 0; i < length; i++) expected[(i & 1) == 0 ? i / 2 : half + i / 2] = raw[i];
        for (int i = length - 1; i > 0; i--) expected[i] = (byte)(expected[i] - expected[i - 1] + 128);
        var predicted = new byte[length];
        OpenExr.Predict(raw, predicted);
        Assert.Equal(expected, predicted);
    }

    [Fact]
    public void Half_samples_are_rounded_to_nearest_even_as_a_cast_rounds_them()
    {
        // Ties, subnormals, the largest half, zeros of both signs and a spread of magnitudes, in rows long enough for
        // the vectorised conversion and with a scalar tail.
        var values = new List<float> { 0f, -0f, 1f, 65504f, 65519.99f, 6.1e-5f, 5.96e-8f, 2.98e-8f, 1e-10f, -3.5f };
        for (int k = 0; k < 10; k++) values.Add(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f + k) | 0x1000));
        var rng = new Random(5);
        while (values.Count < 37 * 9 * 3) values.Add((float)(Math.Pow(2, rng.NextDouble() * 40 - 24) * (rng.Next(2) * 2 - 1)));
        var img = new FloatImage(37, 9, 3);
        values.CopyTo(img.Data);
        var stream = new MemoryStream();
        OpenExr.WriteUnchecked(stream, img, ExrPixelType.Half, ExrCompression.None);
        var back = OpenExr.Read(stream.ToArray(), "half.exr");
        for (int i = 0; i < img.Data.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits((float)(Half)img.Data[i]), BitConverter.SingleToInt32Bits(back.Data[i]));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(-1e-30f, "negative")]
    [InlineData(float.NegativeInfinity, "infinite")]
    [InlineData(65520f, "65504")]
    public void A_single_bad_sample_anywhere_in_a_large_image_is_refused_by_position(float bad, string word)
    {
        // Large enough that the checks run vectorised; one position in the middle of a vector, one in the scalar tail.
        using var dir = new TestData.TempDir();
        foreach (var (c, y, x) in new[] { (1, 40, 33), (2, 69, 102) })
        {
            var img = RandomImage(103, 70, 9);
            img[c, y, x] = bad;
            var path = dir.File("bad.exr");
            var e = Assert.Throws<ArgumentException>(() => OpenExr.Write(path, img));
            Assert.Contains($"x={x}, y={y}", e.Message);
            Assert.Contains($"channel {c}", e.Message);
            Assert.Contains(word, e.Message);
            Assert.Empty(Directory.GetFiles(dir.Path));
        }
    }
}
