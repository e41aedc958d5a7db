using HdrKit.Cli;

namespace HdrKit.Tests.Semantic;

public class SegmentCommandTests
{
    [Fact]
    public void MissingImageIsAOneLineErrorAndExitCode1()
    {
        using var dir = new TestData.TempDir();
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try
        {
            int rc = CliRunner.Run(Program.BuildRoot(), ["segment", dir.File("nope.jpg"), "-o", dir.File("map.png")]);
            Assert.Equal(1, rc);
        }
        finally { Console.SetError(old); }
        var text = err.ToString().Trim();
        Assert.DoesNotContain('\n', text);
        Assert.Contains("nope.jpg", text);
        Assert.False(File.Exists(dir.File("map.png")));
    }

    [Fact]
    public void WritesSegmentAndClassPreviews()
    {
        var model = DeepLabModel.PathOrSkip();
        using var dir = new TestData.TempDir();
        var rgb = DeepLabModel.SyntheticRgb(60, 90);
        var img = new HdrKit.Imaging.FloatImage(90, 60, 3);
        for (int c = 0; c < 3; c++) for (int y = 0; y < 60; y++) for (int x = 0; x < 90; x++) img[c, y, x] = rgb[y, x, c] / 255f;
        var input = dir.File("in.png");
        HdrKit.Imaging.LdrImageFile.Write(input, img);
        var output = new StringWriter();
        var old = Console.Out;
        Console.SetOut(output);
        int rc;
        try { rc = CliRunner.Run(Program.BuildRoot(), ["segment", input, "-o", dir.File("map.png"), "--model", model, "--working-size", "129", "--cache", dir.Path]); }
        finally { Console.SetOut(old); }
        Assert.Equal(0, rc);
        var map = HdrKit.Imaging.LdrImageFile.Read(dir.File("map.png"));
        Assert.Equal((90, 60), (map.Width, map.Height));
        Assert.True(File.Exists(dir.File("map.classes.png")));
        Assert.Single(Directory.GetFiles(dir.Path, "skb-*.safetensors"));
        Assert.Contains("segments:", output.ToString());
    }
}
