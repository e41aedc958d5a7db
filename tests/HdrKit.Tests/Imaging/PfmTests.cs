using System.Text;
using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class PfmTests
{
    [Theory]
    [InlineData("grad_cv2.pfm")] // OpenCV: little-endian
    [InlineData("grad_be.pfm")]  // written byte by byte by the fixture script: big-endian, scale +1
    public void Foreign_rgb_files_read_bit_exactly(string name)
    {
        HdrFixtures.AssertExact(HdrFixtures.Gradient(), Pfm.Read(HdrFixtures.Path(name)));
    }

    [Fact]
    public void Grey_file_reads_as_one_channel()
    {
        HdrFixtures.AssertExact(HdrFixtures.GreyGradient(), Pfm.Read(HdrFixtures.Path("grey_le.pfm")));
    }

    [Theory]
    [InlineData(17, 5, 3)]
    [InlineData(3, 2, 1)]
    public void Round_trip_is_bit_exact(int w, int h, int ch)
    {
        using var dir = new TestData.TempDir();
        var img = new FloatImage(w, h, ch);
        var rng = new Random(5);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)(rng.NextDouble() * 1e4);
        var path = dir.File("a.pfm");
        Pfm.Write(path, img);
        HdrFixtures.AssertExact(img, Pfm.Read(path));
        string header = Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 3);
        Assert.Equal(ch == 3 ? "PF\n" : "Pf\n", header);
    }

    [Fact]
    public void First_stored_row_is_the_bottom_row()
    {
        // 1x2 grey, little-endian: stored 1.0 then 2.0, so the top row (y = 0) is 2.0.
        var bytes = Encoding.ASCII.GetBytes("Pf\n1 2\n-1.0\n").Concat(BitConverter.GetBytes(1f)).Concat(BitConverter.GetBytes(2f)).ToArray();
        var img = Pfm.Read(bytes, "hand.pfm");
        Assert.Equal(2f, img[0, 0, 0]);
        Assert.Equal(1f, img[0, 1, 0]);
    }

    [Fact]
    public void Our_file_is_read_by_opencv()
    {
        using var dir = new TestData.TempDir();
        var img = HdrFixtures.Gradient();
        var path = dir.File("ours.pfm");
        Pfm.Write(path, img);
        var got = PeerTools.Floats(PeerTools.PythonCv2(
            "import cv2, sys\nim = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)\n" +
            "print(' '.join(repr(float(v)) for v in im[..., ::-1].reshape(-1)))", path));
        Assert.Equal(img.ToInterleaved(), got);
    }

    [Fact]
    public void Truncated_and_malformed_files_name_the_file()
    {
        var full = File.ReadAllBytes(HdrFixtures.Path("grad_cv2.pfm"));
        Assert.Contains("t.pfm", Assert.Throws<InvalidDataException>(() => Pfm.Read(full[..^4], "t.pfm")).Message);
        Assert.Throws<InvalidDataException>(() => Pfm.Read(Encoding.ASCII.GetBytes("PF\n4 x\n-1\n"), "m.pfm"));
        Assert.Throws<InvalidDataException>(() => Pfm.Read(Encoding.ASCII.GetBytes("P6\n4 4\n255\n"), "p.pfm"));
    }
}
