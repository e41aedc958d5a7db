namespace HdrKit.Tests.Cli;

[Collection("console")]
public sealed class TrainConfigErrorTests
{
    [Fact]
    public void AYamlSyntaxErrorIsOneLineNamingTheConfigAndStartsNoRun()
    {
        using var dir = new TestData.TempDir();
        var config = dir.File("broken.yaml");
        File.WriteAllText(config, "model:\n  type: [unclosed\n  width: 3\n");
        var (exit, _, err) = CliHarness.Run("train", "--config", config, "--out", dir.File("run"));
        Assert.Equal(1, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("broken.yaml", line);
        Assert.DoesNotContain("Operation is not valid", line);
        Assert.Equal([config], Directory.GetFileSystemEntries(dir.Path));
    }
}
