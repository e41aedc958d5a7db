using HdrKit.Models;
using HdrKit.Weights;
using TorchSharp;

namespace HdrKit.Tests.Models;

public class LoadWeightsTests
{
    [Fact]
    public void ReleasedSwinCheckpointsLoadDespiteTheirSavedConstants()
    {
        using var dir = new TestData.TempDir();
        var source = ModelRegistry.Create("hdr-transformer-small");
        var target = ModelRegistry.Create("hdr-transformer-small");
        var state = StateDictLoader.ToDictionary(source);
        // What the reference's state_dict() also holds: per-attention index tables and per-block shift masks.
        var attention = state.Keys.First(k => k.Contains(".attn.") && k.EndsWith(".weight"));
        var prefix = attention[..(attention.IndexOf(".attn.") + ".attn.".Length)];
        state[prefix + "relative_position_index"] = torch.zeros(64, 64, dtype: torch.int64);
        state[prefix[..^"attn.".Length] + "attn_mask"] = torch.zeros(4, 64, 64);
        var path = dir.File("released.safetensors");
        SafeTensors.Save(path, state);

        Assert.Throws<InvalidDataException>(() => StateDictLoader.LoadFile(target, path)); // strict, unaware
        var result = target.LoadWeights(path);
        Assert.Empty(result.Missing);
        var a = StateDictLoader.ToDictionary(source);
        foreach (var (name, t) in StateDictLoader.ToDictionary(target)) Assert.True(a[name].equal(t).all().item<bool>(), name);
    }
}
