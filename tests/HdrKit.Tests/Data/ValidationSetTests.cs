using System.Security.Cryptography;
using HdrKit.Data;

namespace HdrKit.Tests.Data;

public class ValidationSetTests
{
    /// <summary>
    /// Pins the fixed validation set: `hdrkit simulate --preset validation` must reproduce it bit for bit, so a
    /// change of this hash means published numbers on it are no longer comparable (bump it only deliberately,
    /// and say so in docs/data.md).
    /// </summary>
    [Fact]
    public void FirstValidationSceneIsReproducedBitForBit()
    {
        var folder = HdrCorpus.BundledFolder();
        if (folder == null) Assert.Skip("bundled HDR maps not found");
        var p = SimulationPreset.Validation;
        var maps = p.SelectMaps(HdrCorpus.Load([folder]));
        Assert.Equal(["city", "lobby", "sunset"], maps.Maps.Select(m => m.Name));
        // A 128×64 corner of scene 0: a small, fast stand-in for the whole set.
        var scene = new BracketSimulator(maps.Maps, p.Options).Simulate(p.Seed, 0);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var img in scene.Frames.Append(scene.GroundTruth))
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 64; y++)
                    sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(img.Row(c, y)[..128]));
        var actual = Convert.ToHexString(sha.GetHashAndReset());
        Assert.True(actual == ExpectedHash, $"validation scene 0 changed: SHA-256 {actual}, pinned {ExpectedHash}");
    }

    private const string ExpectedHash = "DD3652262465570F8E4714C0AB0D08F437AC3DF419B718B4BABF3B77BDB14D28";

    [Fact]
    public void TrainingSplitNeverContainsHeldOutMaps()
    {
        var maps = SyntheticMaps.Corpus().Append(SyntheticMaps.Make("Lobby", 9)).ToArray();
        var corpus = new HdrCorpus(maps);
        Assert.DoesNotContain(corpus.TrainingSplit().Maps, m => HdrCorpus.IsValidation(m.Name));
        Assert.Equal(["Lobby"], corpus.ValidationSplit().Maps.Select(m => m.Name));
    }
}
