using System.Collections.Concurrent;

namespace HdrKit.Data;

/// <summary>
/// Scenes of a Kalantari-layout dataset folder (Kalantari, Tel, or ours), each sample drawing one uniformly.
/// Decoded scenes are cached in memory by default: decoding 16-bit TIFFs per patch would dominate a training step.
/// </summary>
public sealed class FolderSceneSource : ISceneSource
{
    private readonly ConcurrentDictionary<int, Lazy<SimulatedScene>> _cache = new();

    public IReadOnlyList<string> Scenes { get; }
    public bool Cache { get; }
    public bool ReadExtras { get; }

    public FolderSceneSource(string root, bool cache = true, bool readExtras = true)
    {
        Scenes = KalantariScene.FindScenes(root);
        Cache = cache; ReadExtras = readExtras;
    }

    public SimulatedScene SceneFor(long sampleId, Random rng)
    {
        int i = rng.Next(Scenes.Count);
        if (!Cache) return KalantariScene.Read(Scenes[i], ReadExtras);
        return _cache.GetOrAdd(i, k => new Lazy<SimulatedScene>(() => KalantariScene.Read(Scenes[k], ReadExtras))).Value;
    }
}
