using HdrKit.Inference;

namespace HdrKit.Tests.Inference;

public class ShippedModelInfoTests
{
    [Fact]
    public void What_it_writes_it_reads_back()
    {
        using var dir = new TestData.TempDir();
        var info = new ShippedModelInfo("safnet-s-tiny", 32, [2, 4], "w.safetensors", "a model", new() { ["refine"] = "false", ["structure_tolerance"] = "0.15" });
        var path = dir.File("model.json");
        info.Write(path);
        var read = ShippedModelInfo.Read(path);
        Assert.Equal((info.Model, info.Width, info.Weights, info.Description), (read.Model, read.Width, read.Weights, read.Description));
        Assert.Equal(info.Depths, read.Depths);
        Assert.Equal(info.Extra, read.Extra);
        Assert.Contains("\"structure_tolerance\"", File.ReadAllText(path));
    }

    [Fact]
    public void A_hand_written_file_may_use_any_case_and_leave_out_the_options()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("model.json");
        File.WriteAllText(path, """{ "Model": "ahdrnet-small", "WEIGHTS": "a.safetensors", "depths": null }""");
        var read = ShippedModelInfo.Read(path);
        Assert.Equal(("ahdrnet-small", "a.safetensors"), (read.Model, read.Weights));
        Assert.Null(read.Width);
        Assert.Null(read.Depths);
        Assert.Null(read.Extra);
    }

    [Theory]
    [InlineData("""{ "model": "safnet-s-tiny" }""", "needs \"model\"")]
    [InlineData("""{ "model": "safnet-s-tiny", "weights": "w.safetensors", "width": "wide" }""", "not a model description")]
    [InlineData("""{ "model": "safnet-s-tiny", "weights": "w.safetensors", "extra": { "refine": false } }""", "not a model description")]
    [InlineData("""[1, 2]""", "not a model description")]
    [InlineData("""{ "model": """, "not a model description")]
    public void A_broken_file_is_one_line_naming_it(string text, string expected)
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("model.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InvalidDataException>(() => ShippedModelInfo.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
