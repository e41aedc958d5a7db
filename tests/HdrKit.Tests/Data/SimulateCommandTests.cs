using HdrKit.Cli;
using HdrKit.Data;

namespace HdrKit.Tests.Data;

public class SimulateCommandTests
{
    private static int Run(params string[] args) => CliRunner.Run(Program.BuildRoot(), args);

    [Fact]
    public void WritesKalantariSceneFoldersThatReadBack()
    {
        if (HdrCorpus.BundledFolder() == null) Assert.Skip("bundled HDR maps not found");
        using var dir = new TestData.TempDir();
        Assert.Equal(0, Run("simulate", "-o", dir.Path, "--count", "2", "--size", "48x32", "--exposures", "5", "--seed", "3"));
        var scenes = KalantariScene.FindScenes(dir.Path);
        Assert.Equal(2, scenes.Count);
        var s = KalantariScene.Read(scenes[1]);
        Assert.Equal(5, s.Frames.Count);
        Assert.Equal([-4.0, -2.0, 0.0, 2.0, 4.0], s.Stops);
        Assert.Equal(48, s.Width);
        Assert.NotNull(s.Segments);
        Assert.NotNull(s.MotionMask);
    }

    [Fact]
    public void BadArgumentsFailWithExitCodeOne()
    {
        using var dir = new TestData.TempDir();
        Assert.Equal(1, Run("simulate", "-o", dir.Path, "--exposures", "9"));
        Assert.Equal(1, Run("simulate", "-o", dir.Path, "--size", "big"));
        Assert.Equal(1, Run("simulate", "-o", dir.Path, "--preset", "nope"));
        Assert.Equal(1, Run("eval-classical", Path.Combine(dir.Path, "missing")));
    }
}
