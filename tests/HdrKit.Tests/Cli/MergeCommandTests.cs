using HdrKit.Inference;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Cli;

[Collection("console")]
public class MergeCommandTests : IDisposable
{
    private readonly TestData.TempDir _dir = new();
    private static readonly double[] Seconds = { 1 / 64.0, 1 / 16.0, 1 / 4.0 };

    public void Dispose() => _dir.Dispose();

    /// <summary>A 3-exposure bracket of a known radiance ramp through the γ 2.2 camera, as 8-bit PNGs (no EXIF).</summary>
    private string[] WriteBracket(int width = 48, int height = 32, string prefix = "f")
    {
        var radiance = new FloatImage(width, height, 3);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    radiance[c, y, x] = (float)Math.Pow(2, 8.0 * x / width - 2) * (1 + 0.1f * c) * (1 + 0.2f * MathF.Sin(y));
        return Seconds.Select((t, i) =>
        {
            var frame = new FloatImage(width, height, 3);
            for (int k = 0; k < frame.Data.Length; k++) frame.Data[k] = GammaResponse.ToLdr(radiance.Data[k], t);
            var path = _dir.File($"{prefix}{i}.png");
            LdrImageFile.Write(path, frame);
            return path;
        }).ToArray();
    }

    /// <summary>`hdrkit merge` on <paramref name="inputs"/> followed by <paramref name="options"/>.</summary>
    private static (int Exit, string Out, string Err) RunMerge(IEnumerable<string> inputs, params string[] options) =>
        CliHarness.Run(["merge", .. inputs, .. options]);

    private static void AssertOneLineError(int exit, string err, string expectedFragment)
    {
        Assert.Equal(1, exit);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("hdrkit: error:", lines[0]);
        Assert.Contains(expectedFragment, lines[0]);
    }

    [Theory]
    [InlineData("out.hdr")]
    [InlineData("out.exr")]
    [InlineData("out.pfm")]
    [InlineData("out.tif")]
    public void MergesABracketIntoEveryHdrFormat(string name)
    {
        var files = WriteBracket();
        var output = _dir.File(name);
        var (exit, stdout, err) = RunMerge(files, "-o", output, "--ev", "-4,-2,0", "--method", "classical", "--preview", _dir.File("p.png"));
        Assert.True(exit == 0, err);
        Assert.Contains("wrote", stdout);
        var hdr = HdrImageFile.Read(output);
        Assert.Equal((48, 32), (hdr.Width, hdr.Height));
        Assert.Equal(-1, hdr.FindInvalidRadiance());
        // Radiance rises along the ramp (left → right), whichever frame it came from.
        Assert.True(hdr[1, 16, 44] > 8 * hdr[1, 16, 4]);
        Assert.True(File.Exists(_dir.File("p.png")));
    }

    [Fact]
    public void MismatchedSizesFailWithOneLineAndNoOutput()
    {
        var files = WriteBracket();
        files[1] = WriteBracket(40, 32, "g")[1];
        var output = _dir.File("out.exr");
        var (exit, _, err) = RunMerge(files, "-o", output, "--ev", "-4,-2,0", "--method", "classical");
        AssertOneLineError(exit, err, "same size");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void OneImageIsNotABracket()
    {
        var files = WriteBracket();
        var (exit, _, err) = CliHarness.Run("merge", files[0], "-o", _dir.File("out.hdr"), "--ev", "0", "--method", "classical");
        AssertOneLineError(exit, err, "at least 2");
        Assert.False(File.Exists(_dir.File("out.hdr")));
    }

    [Fact]
    public void UnreadableImageFailsWithItsName()
    {
        var files = WriteBracket();
        File.WriteAllText(files[2], "this is not a PNG");
        var (exit, _, err) = RunMerge(files, "-o", _dir.File("out.hdr"), "--ev", "-4,-2,0", "--method", "classical");
        AssertOneLineError(exit, err, Path.GetFileName(files[2]));
        Assert.False(File.Exists(_dir.File("out.hdr")));
    }

    [Fact]
    public void MissingExposureInfoAsksForIt()
    {
        var files = WriteBracket();
        var (exit, _, err) = RunMerge(files, "-o", _dir.File("out.hdr"), "--method", "classical");
        AssertOneLineError(exit, err, "--exposures");
    }

    [Fact]
    public void WrongExposureCountIsRejected()
    {
        var files = WriteBracket();
        var (exit, _, err) = RunMerge(files, "-o", _dir.File("out.hdr"), "--exposures", "1/60,1/15", "--method", "classical");
        Assert.Equal(1, exit);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void MissingOutputFolderFailsBeforeAnyWork()
    {
        var files = WriteBracket();
        var output = Path.Combine(_dir.Path, "no-such-folder", "out.exr");
        var (exit, _, err) = RunMerge(files, "-o", output, "--ev", "-4,-2,0", "--method", "classical");
        AssertOneLineError(exit, err, "does not exist");
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)));
    }

    [Fact]
    public void UnwritablePreviewFailsBeforeTheExrIsWritten()
    {
        Assert.SkipUnless(Directory.Exists("/proc/self"), "needs a folder nobody can write to, such as Linux's /proc (the tests may run as root)");
        var files = WriteBracket();
        var output = _dir.File("out.exr");
        var (exit, _, err) = RunMerge(files, "-o", output, "--preview", "/proc/hdrkit-preview.png", "--ev", "-4,-2,0", "--method", "classical");
        AssertOneLineError(exit, err, "--preview");
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData(new[] { "--tile", "7" }, "--tile 7: must be at least 64")]
    [InlineData(new[] { "--device", "tpu" }, "unknown device 'tpu'")]
    public void BadNetworkArgumentsFailBeforeAnyWork(string[] extra, string expected)
    {
        var files = WriteBracket();
        var output = _dir.File("out.exr");
        var (exit, _, err) = CliHarness.Run(new[] { "merge" }.Concat(files).Concat(new[] { "-o", output, "--ev", "-4,-2,0" }).Concat(extra).ToArray());
        AssertOneLineError(exit, err, expected);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void RepeatedStopsAreRefusedBeforeAnyWork()
    {
        var files = WriteBracket();
        var output = _dir.File("out.exr");
        var (exit, _, err) = RunMerge(files, "-o", output, "--ev", "0,0,2", "--method", "classical");
        AssertOneLineError(exit, err, "are the same exposure");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AFolderOfPngsBesideAnExposureTxtMerges()
    {
        var scene = Directory.CreateDirectory(_dir.File("scene")).FullName;
        foreach (var f in WriteBracket()) File.Move(f, Path.Combine(scene, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(scene, "exposure.txt"), "-2\n0\n2\n");
        var output = _dir.File("scene.exr");
        var (exit, _, err) = CliHarness.Run("merge", scene, "-o", output, "--method", "classical");
        Assert.True(exit == 0, err);
        Assert.Equal(48, HdrImageFile.Read(output).Width);
    }

    [Fact]
    public void ATileSmallerThanTwiceTheNetworksOverlapIsRefused()
    {
        RequireDefaultModel();
        var files = WriteBracket();
        var output = _dir.File("out.exr");
        var (exit, _, err) = RunMerge(files, "-o", output, "--ev", "-4,-2,0", "--tile", "128");
        AssertOneLineError(exit, err, "tile size 128 is less than twice");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void DamagedJpegIsRefusedUnlessAccepted()
    {
        var corrupt = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", "ldr", "regress-corrupt-entropy.jpg");
        Assert.SkipUnless(File.Exists(corrupt), "fuzz corpus absent");
        var frames = Enumerable.Range(0, 3).Select(i => { var p = _dir.File($"j{i}.jpg"); File.Copy(corrupt, p); return p; }).ToArray();
        var refused = RunMerge(frames, "-o", _dir.File("a.exr"), "--ev", "-2,0,2", "--method", "classical");
        AssertOneLineError(refused.Exit, refused.Err, "j0.jpg");
        Assert.False(File.Exists(_dir.File("a.exr")));
        var accepted = RunMerge(frames, "-o", _dir.File("b.exr"), "--ev", "-2,0,2", "--method", "classical", "--accept-corrupt-jpeg");
        try
        {
            Assert.True(accepted.Exit == 0, accepted.Err);
            Assert.True(File.Exists(_dir.File("b.exr")));
        }
        finally { HdrKit.Imaging.LdrImageFile.AcceptCorruptJpeg = false; }
    }

    [Fact]
    public void UnreadableExifIsOneLineNamingTheFrame()
    {
        var corrupt = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", "exif", "regress-segment-past-end.jpg");
        Assert.SkipUnless(File.Exists(corrupt), "fuzz corpus absent");
        var frames = Enumerable.Range(0, 3).Select(i => { var p = _dir.File($"e{i}.jpg"); File.Copy(corrupt, p); return p; }).ToArray();
        var output = _dir.File("out.exr");
        var (exit, _, err) = RunMerge(frames, "-o", output, "--method", "classical");
        AssertOneLineError(exit, err, "e0.jpg: cannot read its metadata");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void UnknownOutputTypeIsRejected()
    {
        var files = WriteBracket();
        var (exit, _, err) = RunMerge(files, "-o", _dir.File("out.jpg"), "--ev", "-4,-2,0");
        AssertOneLineError(exit, err, "unsupported file type");
    }

    [Fact]
    public void MissingInputFileIsNamed()
    {
        var files = WriteBracket();
        var (exit, _, err) = CliHarness.Run("merge", files[0], files[1], _dir.File("nope.png"), "-o", _dir.File("out.hdr"), "--ev", "-4,-2,0");
        AssertOneLineError(exit, err, "nope.png");
    }

    [Fact]
    public void ExifExposuresOfARealBracketAreUsed()
    {
        var dir = TestData.SharedOrSkip("data", "brackets", "pingpong");
        var files = Directory.GetFiles(dir, "*.JPG").Order().ToArray();
        var output = _dir.File("pingpong.hdr");
        var (exit, stdout, err) = RunMerge(files, "-o", output, "--method", "classical", "--no-align");
        Assert.True(exit == 0, err);
        Assert.Contains("EXIF: 1/1000 s, 1/250 s, 1/60 s", stdout);
        Assert.Equal(1920, HdrImageFile.Read(output).Width);
    }

    [Fact]
    public void ABracketWhoseExifGivesEveryFrameTheSameExposureAsksForThem()
    {
        var dir = TestData.SharedOrSkip("data", "brackets", "sculpture_garden"); // EXIF says 1/20 s for all five
        var files = Directory.GetFiles(dir, "*.tif").Order().ToArray();
        var output = _dir.File("sg.hdr");
        var (exit, _, err) = RunMerge(files, "-o", output);
        AssertOneLineError(exit, err, "same exposure");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void TheDefaultModelMergesTheFramesSpanningALongerBracket()
    {
        RequireDefaultModel();
        var dir = TestData.SharedOrSkip("data", "brackets", "sculpture_garden");
        var files = Directory.GetFiles(dir, "*.tif").Order().ToArray();
        var output = _dir.File("sg.hdr");
        var (exit, stdout, err) = RunMerge(files, "-o", output, "--ev", "-2,-1,0,1,2", "--tile", "512");
        Assert.True(exit == 0, err);
        Assert.Contains("using images 1, 3, 5 of 5 (-2 EV, 0 EV, +2 EV)", err);
        Assert.Contains("default model", stdout);
        Assert.Equal(-1, HdrImageFile.Read(output).FindInvalidRadiance());
    }

    /// <summary>The shipped default model (models/default in this checkout); tests of merge's default skip without it.</summary>
    private static void RequireDefaultModel() =>
        Assert.SkipUnless(HdrKit.Inference.DefaultModel.IsAvailable, "no default model installed in models/default");

    [Fact]
    public void WithoutAMethodTheDefaultModelMergesAThreeExposureBracket()
    {
        RequireDefaultModel();
        var files = WriteBracket(64, 48);
        var output = _dir.File("out.exr");
        var (exit, stdout, err) = RunMerge(files, "-o", output, "--ev", "-4,-2,0");
        Assert.True(exit == 0, err);
        Assert.Contains("default model", stdout);
        var hdr = HdrImageFile.Read(output);
        Assert.Equal(-1, hdr.FindInvalidRadiance());
        Assert.True(hdr[1, 24, 60] > 8 * hdr[1, 24, 4], "radiance rises along the ramp");
    }

    [Fact]
    public void AModelFolderCarriesItsWeightsAndOptions()
    {
        RequireDefaultModel();
        var files = WriteBracket(64, 48);
        var output = _dir.File("folder.exr");
        var (exit, stdout, err) = RunMerge(files, "-o", output, "--ev", "-4,-2,0", "--model", HdrKit.Inference.DefaultModel.Folder!);
        Assert.True(exit == 0, err);
        Assert.Contains("safnet-s-tiny from default", stdout);

        var (exit2, _, err2) = RunMerge(files, "-o", _dir.File("twice.exr"), "--ev", "-4,-2,0", "--model", HdrKit.Inference.DefaultModel.Folder!, "--weights", "x.safetensors");
        AssertOneLineError(exit2, err2, "--weights is not used with a model folder");
        Assert.False(File.Exists(_dir.File("twice.exr")));
    }

    [Fact]
    public void WithoutAMethodABracketTheDefaultModelCannotTakeFallsBackToClassicalWithANote()
    {
        RequireDefaultModel();
        var files = WriteBracket().Take(2).ToArray();
        var (exit, stdout, err) = RunMerge(files, "-o", _dir.File("out.hdr"), "--ev", "-4,-2");
        Assert.True(exit == 0, err);
        Assert.Contains("classical merge", stdout);
        Assert.Contains("note: the default model", err);
        Assert.Contains("this bracket has 2", err);
    }

    [Fact]
    public void AClassicalOnlyOptionSelectsTheClassicalMerge()
    {
        var files = WriteBracket();
        var (exit, stdout, err) = RunMerge(files, "-o", _dir.File("out.hdr"), "--ev", "-4,-2,0", "--ghost-mask", _dir.File("m.png"));
        Assert.True(exit == 0, err);
        Assert.Contains("classical merge", stdout);
        Assert.True(File.Exists(_dir.File("m.png")));
    }

    [Fact]
    public void ANetworkGivenABracketOfTheWrongSizeFailsBeforeReadingIt()
    {
        using var dir = new TestData.TempDir();
        var weights = dir.File("s.safetensors");
        using (var net = HdrKit.Models.ModelRegistry.Create("safnet-s-tiny"))
            HdrKit.Weights.SafeTensors.Save(weights, HdrKit.Weights.StateDictLoader.ToDictionary(net));
        var files = WriteBracket().Take(2).ToArray();
        var output = _dir.File("out.hdr");
        var (exit, _, err) = RunMerge(files, "-o", output, "--ev", "-4,-2", "--model", "safnet-s-tiny", "--weights", weights);
        AssertOneLineError(exit, err, "merges 3 exposures, this bracket has 2");
        Assert.False(File.Exists(output));
    }
}
