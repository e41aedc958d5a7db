using HdrKit.Training;

namespace HdrKit.Tests.Training;

public sealed class TrainingConfigTests
{
    private const string Yaml = """
        recipe: supervised
        model:
          name: test-tiny
          width: 16
          extra: { dropout: "0.1" }
        data:
          kind: synthetic
          patch_size: 64
          batch_size: 4
          stops: [-3, 0, 3]
        loss:
          mu_l1: 1
          perceptual: 0.01
          perceptual_layers: [relu1_2, relu2_2]
        optimizer: { lr: 5.0e-4, beta2: 0.99, weight_decay: 1.0e-6 }
        schedule: { kind: cosine_restarts, min_lr: 5.0e-5, restarts: [300] }
        epochs: 400
        seed: 42
        """;

    [Fact]
    public void ParsesSnakeCaseYaml()
    {
        var c = TrainingConfig.Parse(Yaml);
        Assert.Equal("test-tiny", c.Model.Name);
        Assert.Equal(16, c.Model.Width);
        Assert.Equal("0.1", c.Model.Extra["dropout"]);
        Assert.Equal(64, c.Data.PatchSize);
        Assert.Equal(new[] { -3.0, 0, 3 }, c.Data.Stops);
        Assert.Equal(0.01, c.Loss.Perceptual);
        Assert.Equal(new[] { "relu1_2", "relu2_2" }, c.Loss.PerceptualLayers);
        Assert.Equal(5e-4, c.Optimizer.Lr);
        Assert.Equal(0.99, c.Optimizer.Beta2);
        Assert.Equal(0.9, c.Optimizer.Beta1); // default kept
        Assert.Equal(new[] { 300 }, c.Schedule.Restarts);
        Assert.Equal(400, c.Epochs);
        Assert.Equal(42, c.Seed);
    }

    [Fact]
    public void JsonRoundTripPreservesEveryKey()
    {
        var c = TrainingConfig.Parse(Yaml);
        var again = TrainingConfig.Parse(c.ToJson());
        Assert.Equal(c.ToJson(), again.ToJson());
        Assert.Contains("\"perceptual_layers\"", c.ToJson());
    }

    [Fact]
    public void UnknownKeyIsReportedWithItsLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => TrainingConfig.Parse("epochs: 3\noptimizer:\n  learning_rate: 1\n", "run.yaml"));
        Assert.StartsWith("run.yaml: line 3:", e.Message);
        Assert.Contains("learning_rate", e.Message);
    }

    [Theory]
    [InlineData("optimizer: { lr: 0 }", "optimizer.lr")]
    [InlineData("data: { stops: [0, 2] }", "model.exposures")]
    [InlineData("data: { stops: [2, 0, -2] }", "increase")]
    [InlineData("recipe: distill", "unknown recipe")]
    [InlineData("schedule: { kind: step, gamma: 2 }", "gamma")]
    [InlineData("loss: { mu_l1: 0 }", "nothing to train")]
    public void ValidationNamesTheOffendingKey(string yaml, string expected)
    {
        var c = TrainingConfig.Parse("model: { name: test-tiny }\n" + yaml);
        var e = Assert.Throws<InvalidDataException>(() => c.Validate("cfg.yaml"));
        Assert.StartsWith("cfg.yaml: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
