using HdrKit.Training;

namespace HdrKit.Tests.Training;

public sealed class EmptySectionTests
{
    [Theory]
    [InlineData("model:\n", "model")]
    [InlineData("model: { name: test-tiny }\ndata:\n", "data")]
    [InlineData("model: { name: test-tiny }\nloss:\nepochs: 2\n", "loss")]
    [InlineData("model: { name: test-tiny }\nschedule:\n", "schedule")]
    public void An_empty_section_is_named_instead_of_crashing(string yaml, string section)
    {
        var e = Assert.Throws<InvalidDataException>(() => TrainingConfig.Parse(yaml, "run.yaml"));
        Assert.Contains($"section '{section}' is empty", e.Message);
        Assert.StartsWith("run.yaml: ", e.Message);
    }

    [Theory]
    [InlineData("model: { name: test-tiny }\ndata:\n  kind:\n", "data.kind is empty")]
    [InlineData("model: { name: test-tiny }\ndata:\n  stops:\n", "data.stops is empty")]
    [InlineData("model:\n  name:\n", "model.name is empty")]
    public void An_empty_key_is_named_instead_of_crashing(string yaml, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => TrainingConfig.Parse(yaml, "run.yaml"));
        Assert.Contains(expected, e.Message);
    }
}
