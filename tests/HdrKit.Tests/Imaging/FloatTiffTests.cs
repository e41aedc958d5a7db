using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class FloatTiffTests
{
    [Fact]
    public void Hand_made_baseline_float_tiff_reads_bit_exactly()
    {
        HdrFixtures.AssertExact(HdrFixtures.Gradient(), FloatTiff.Read(HdrFixtures.Path("grad_float.tif")));
    }

    [Fact]
    public void OpenCV_logluv_tiff_is_refused_clearly()
    {
        var e = Assert.Throws<InvalidDataException>(() => FloatTiff.Read(HdrFixtures.Path("grad_cv2_logluv.tif")));
        Assert.Contains("LogLuv", e.Message);
        Assert.Contains("grad_cv2_logluv.tif", e.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Round_trip_is_bit_exact(int channels)
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(17, 5, channels);
        var rng = new Random(9);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)(rng.NextDouble() * 3e5);
        var path = dir.File("a.tif");
        FloatTiff.Write(path, img);
        HdrFixtures.AssertExact(img, FloatTiff.Read(path));
    }

    [Fact]
    public void Our_file_is_read_by_opencv()
    {
        using var dir = new TestData.TempDir();
        var img = HdrFixtures.Gradient();
        var path = dir.File("ours.tif");
        FloatTiff.Write(path, img);
        var got = PeerTools.Floats(PeerTools.PythonCv2(
            "import cv2, sys\nim = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)\nassert im.dtype.name == 'float32', im.dtype\n" +
            "print(' '.join(repr(float(v)) for v in im[..., ::-1].reshape(-1)))", path));
        Assert.Equal(img.ToInterleaved(), got);
    }

    [Fact]
    public void Integer_tiff_is_refused_with_a_pointer_to_the_ldr_reader()
    {
        var e = Assert.Throws<InvalidDataException>(() => FloatTiff.Read(TestData.Fixture("Imaging", "rgb16.tif")));
        Assert.Contains("LdrImageFile", e.Message);
    }
}
