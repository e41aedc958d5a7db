using HdrKit.Cli;
using HdrKit.Weights;

namespace HdrKit.Tests.Cli;

public class ImportWeightsCommandTests
{
    [Fact]
    public void Converts_a_checkpoint_and_records_its_source()
    {
        using var dir = new TestData.TempDir();
        var output = dir.File("tiny.safetensors");
        int rc = Program.BuildRoot().Parse(["import-weights", TestData.Fixture("Weights", "tiny.pth"), "-o", output, "--key", "state_dict"]).Invoke();

        Assert.Equal(0, rc);
        var expected = PthImporter.Load(TestData.Fixture("Weights", "tiny.pth"));
        var written = SafeTensors.Load(output, out var metadata);
        Assert.Equal("tiny.pth", metadata["source"]);
        Assert.Equal("state_dict", metadata["source_key"]);
        Assert.Equal(expected.Keys.Order(), written.Keys.Order());
        foreach (var (name, t) in expected) TensorAssert.Exact(t.contiguous(), written[name], name);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_refused_checkpoint_is_one_error_line_and_no_output()
    {
        using var dir = new TestData.TempDir();
        var output = dir.File("evil.safetensors");
        var err = new StringWriter();
        var saved = Console.Error;
        Console.SetError(err);
        try
        {
            int rc = CliRunner.Run(Program.BuildRoot(), ["import-weights", TestData.Fixture("Weights", "evil_posix_system.pth"), "-o", output]);
            Assert.Equal(1, rc);
        }
        finally { Console.SetError(saved); }
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Contains("posix.system", err.ToString());
        Assert.False(File.Exists(output));
    }
}
