using HdrKit.Inference;

namespace HdrKit.Tests.Inference;

public sealed class DefaultModelTests
{
    [Theory]
    [InlineData("{ \"model\": ", "not a model description")]
    [InlineData("[1, 2]", "not a model description")]
    [InlineData("{ \"description\": \"no model\" }", "needs \"model\"")]
    public void A_malformed_model_json_is_one_typed_error_naming_the_file(string json, string expected)
    {
        using var dir = new TestData.TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "model.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => DefaultModel.Load(dir.Path));
        Assert.Contains("model.json", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
