using HdrKit.Imaging;
using HdrKit.Tests.Inference;

namespace HdrKit.Tests.Cli;

[Collection("console")]
public class BatchCommandTests : IDisposable
{
    private readonly TestData.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder(string name) => Directory.CreateDirectory(_dir.File(name)).FullName;

    [Fact]
    public void FramesWithoutExifAreSplitByGroupAndMergedWithTheGivenStops()
    {
        var input = Folder("in");
        for (int i = 0; i < 6; i++) BatchFolder.WritePng(input, $"f{i}", BatchFolder.Seconds[i % 3]);
        var output = _dir.File("out");

        var (exit, _, err) = CliHarness.Run("batch", input, "-o", output);
        Assert.Equal(1, exit);
        Assert.Contains("--group", err);

        (exit, var stdout, err) = CliHarness.Run("batch", input, "-o", output, "--group", "3", "--ev", "-2,0,2", "--method", "classical", "--format", "hdr");
        Assert.True(exit == 0, err);
        Assert.Contains("2 merged, 0 skipped (output exists), 0 failed", stdout);
        Assert.Equal(new[] { "f0-f2.hdr", "f3-f5.hdr" }, Directory.GetFiles(output).Select(Path.GetFileName).Order());

        (exit, stdout, _) = CliHarness.Run("batch", input, "-o", output, "--group", "3", "--ev", "-2,0,2", "--method", "classical", "--format", "hdr");
        Assert.Equal(0, exit);
        Assert.Contains("0 merged, 2 skipped", stdout);
    }

    [Fact]
    public void HelpNamesTheCommandHdrkit()
    {
        var (exit, stdout, _) = CliHarness.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("hdrkit [command]", stdout);
        Assert.DoesNotContain("HdrKit.Cli", stdout);
    }

    [Fact]
    public void PingpongCopiesWithShiftedCaptureTimesBecomeTwoBrackets()
    {
        var pingpong = TestData.SharedOrSkip("data", "brackets", "pingpong");
        var input = Folder("pingpong");
        var start = new DateTime(2026, 5, 1, 10, 0, 0);
        var frames = Directory.GetFiles(pingpong, "*.JPG").Order(StringComparer.Ordinal).ToArray();
        for (int copy = 0; copy < 2; copy++)
            for (int i = 0; i < frames.Length; i++) // a quarter of the size keeps the test fast; EXIF exposure is kept
                BatchFolder.WithExif(frames[i], Path.Combine(input, $"P{copy * frames.Length + i + 1:000}.jpg"), start.AddSeconds(copy * 8 + i * 0.5), scale: 0.25);

        var (exit, stdout, err) = CliHarness.Run("batch", input, "-o", _dir.File("out"));
        Assert.True(exit == 0, err);
        Assert.Contains("found 2 bracket(s) in 6 images", err);
        Assert.Contains("2 merged", stdout);
        foreach (var name in new[] { "P001-P003.exr", "P004-P006.exr" })
        {
            var hdr = HdrImageFile.Read(Path.Combine(_dir.File("out"), name));
            Assert.Equal((480, 270), (hdr.Width, hdr.Height));
            Assert.True(hdr.Data.All(float.IsFinite) && hdr.Data.Max() > 1, "a radiance map brighter than the reference in the highlights");
        }
    }

    [Fact]
    public void SculptureGardenFramesWithoutCaptureTimesAreSplitByGroup()
    {
        var garden = TestData.SharedOrSkip("data", "brackets", "sculpture_garden");
        var input = Folder("garden");
        var frames = Directory.GetFiles(garden, "*.tif").Order(StringComparer.Ordinal).ToArray();
        // PNG copies at a quarter of the size: no EXIF at all, as after many export tools.
        foreach (var copy in new[] { "a", "b" })
            foreach (var f in frames)
            {
                var small = Resize(LdrImageFile.Read(f).Pixels, 4);
                LdrImageFile.Write(Path.Combine(input, $"{copy}{Path.GetFileNameWithoutExtension(f)}.png"), small);
            }
        var ev = File.ReadAllLines(Path.Combine(garden, "ev.txt"))[^1].Trim(); // line 1: shutter denominators, line 2: stops

        var (exit, stdout, err) = CliHarness.Run("batch", input, "-o", _dir.File("out"), "--group", "5", "--ev", ev);
        Assert.True(exit == 0, err);
        Assert.Contains("2 merged", stdout);
        Assert.True(File.Exists(Path.Combine(_dir.File("out"), "a1-a5.exr")) && File.Exists(Path.Combine(_dir.File("out"), "b1-b5.exr")));
    }

    private static FloatImage Resize(FloatImage image, int factor)
    {
        var small = new FloatImage(image.Width / factor, image.Height / factor, image.Channels);
        for (int c = 0; c < image.Channels; c++)
            for (int y = 0; y < small.Height; y++)
                for (int x = 0; x < small.Width; x++)
                    small[c, y, x] = image[c, y * factor, x * factor];
        return small;
    }
}
