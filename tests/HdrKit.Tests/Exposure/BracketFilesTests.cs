using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Exposure;

public class BracketFilesTests
{
    private static FloatImage Flat(float code) => new(16, 8, 3, Enumerable.Repeat(code, 16 * 8 * 3).ToArray());

    [Fact]
    public void ThreeFrameBracketsKeepTheMiddleExposureAsReference()
    {
        // Given long, short, middle: the middle by time is index 2 even though index 0 is better exposed.
        var frames = new[] { Flat(0.5f), Flat(0.02f), Flat(0.97f) };
        Assert.Equal(2, BracketFiles.DefaultReference(frames, new[] { 1 / 15.0, 1 / 1000.0, 1 / 60.0 }));
    }

    [Fact]
    public void LongBracketsTakeTheBestExposedFrameNotANearlyBlackMiddle()
    {
        // Seven frames, the middle by time (1/60 s) nearly black; only the 1/4 s frame is well exposed.
        var times = new[] { 1 / 4000.0, 1 / 1000.0, 1 / 250.0, 1 / 60.0, 1 / 15.0, 1 / 4.0, 1.0 };
        var codes = new[] { 0.0f, 0.0f, 0.01f, 0.03f, 0.06f, 0.5f, 1.0f };
        Assert.Equal(5, BracketFiles.DefaultReference(codes.Select(Flat).ToArray(), times));
    }
}

public class BracketFolderTests
{
    [Fact]
    public void ASceneFolderWithoutTiffsUsesItsPngFrames()
    {
        using var dir = new TestData.TempDir();
        File.WriteAllText(dir.File("exposure.txt"), "-2\n0\n2\n");
        foreach (var n in new[] { "b.png", "a.png", "c.jpg" }) File.WriteAllBytes(dir.File(n), [0]);
        var files = BracketFiles.ExpandInputs([dir.Path]).Select(Path.GetFileName);
        Assert.Equal(["a.png", "b.png", "c.jpg"], files);
    }

    [Fact]
    public void ASceneFolderWithTiffsKeepsPngsAsMasks()
    {
        using var dir = new TestData.TempDir();
        File.WriteAllText(dir.File("exposure.txt"), "-2\n0\n2\n");
        foreach (var n in new[] { "1.tif", "2.tif", "mask.png" }) File.WriteAllBytes(dir.File(n), [0]);
        Assert.Equal(["1.tif", "2.tif"], BracketFiles.ExpandInputs([dir.Path]).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("0\n2\n", "lists 2 exposures for 3 images")]
    [InlineData("0\nfast\n2\n", "is not a number of stops")]
    [InlineData("0\n0\n2\n", "are the same exposure")]
    public void ExposureFileErrorsAreFormatErrorsNamingTheFile(string text, string fragment)
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("exposure.txt");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InvalidDataException>(() => BracketFiles.ReadExposureFile(path, 3));
        Assert.Contains(path, e.Message);
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }

    [Fact]
    public void ExposureFileStopsBecomeSeconds() =>
        Assert.Equal([0.25, 1, 4], BracketFiles.ReadExposureFile(WriteTemp("-2\n\n0\n2\n"), 3));

    private static string WriteTemp(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("hdrkit-test-").FullName, "exposure.txt");
        File.WriteAllText(path, text);
        return path;
    }
}
