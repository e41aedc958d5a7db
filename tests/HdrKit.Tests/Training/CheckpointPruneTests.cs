using HdrKit.Training;

namespace HdrKit.Tests.Training;

public sealed class CheckpointPruneTests
{
    [Fact]
    public void Prune_keeps_the_newest_pairs_and_drops_weights_without_a_sidecar()
    {
        using var dir = new TestData.TempDir();
        foreach (var step in new[] { "step-00000001", "step-00000002", "step-00000003" })
        {
            File.WriteAllText(Path.Combine(dir.Path, step + ".json"), "{}");
            File.WriteAllText(Path.Combine(dir.Path, step + ".safetensors"), "w");
        }
        File.WriteAllText(Path.Combine(dir.Path, "step-00000004.safetensors"), "orphan");

        Checkpoint.Prune(dir.Path, keep: 2);

        var left = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["step-00000002.json", "step-00000002.safetensors", "step-00000003.json", "step-00000003.safetensors"], left);
    }
}
