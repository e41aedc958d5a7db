using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

public class ExifExposureTests
{
    [Fact]
    public void Reads_exposure_aperture_and_iso_written_by_pil()
    {
        var e = FixtureJson.Load("ldr_expected.json", "exif_rot6");
        var exif = ExifExposure.Read(TestData.Fixture("Imaging", "exif_rot6.jpg"));
        Assert.NotNull(exif);
        Assert.Equal(e.GetProperty("exposure_seconds").GetDouble(), exif!.ExposureSeconds, 12);
        Assert.Equal(e.GetProperty("fnumber").GetDouble(), exif.FNumber);
        Assert.Equal(e.GetProperty("iso").GetInt32(), exif.Iso);
        // t * ISO/100 / N^2 = 0.004 * 2 / 16 by hand.
        Assert.Equal(0.0005, exif.RelativeExposure, 12);
    }

    [Fact]
    public void Absent_exposure_gives_null()
    {
        Assert.Null(ExifExposure.Read(TestData.Fixture("Imaging", "no_exif.png")));
    }

    [Fact]
    public void Pingpong_exposures_step_by_two_stops_as_ev_txt_says()
    {
        var dir = TestData.SharedOrSkip("data", "brackets", "pingpong");
        var ev = File.ReadAllLines(Path.Combine(dir, "ev.txt")).Where(l => l.Trim().Length > 0).Select(double.Parse).ToArray();
        var t = new[] { "Img1.JPG", "Img2.JPG", "Img3.JPG" }.Select(f => ExifExposure.Read(Path.Combine(dir, f))!.ExposureSeconds).ToArray();
        Assert.Equal(3, ev.Length);
        for (int i = 1; i < 3; i++)
        {
            double ratio = t[i] / t[i - 1];
            double expected = Math.Pow(2, ev[i] - ev[i - 1]);
            Assert.InRange(ratio, expected * 0.85, expected * 1.15);
        }
    }
}
