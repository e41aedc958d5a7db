using System.Collections.Concurrent;

namespace HdrKit.Data;

/// <summary>
/// Scenes of a Kalantari-layout dataset folder (Kalantari, Tel, or ours), each sample drawing one uniformly.
/// Decoded scenes are cached in memory by default: decoding 16-bit TIFFs per patch would dominate a training step.
/// Segments come from the scene's segments.png, else from a semantic-bank cache file in the scene folder.
/// <see cref="LabelledScenes"/> over it keeps the ground truth of a subset only.
/// </summary>
public sealed class FolderSceneSource : ITrainingScenes
{
    private readonly ConcurrentDictionary<int, Lazy<TrainingScene>> _cache = new();

    public IReadOnlyList<string> Scenes { get; }
    public bool Cache { get; }
    public bool ReadExtras { get; }

    public FolderSceneSource(string root, bool cache = true, bool readExtras = true)
    {
        Scenes = KalantariScene.FindScenes(root);
        Cache = cache; ReadExtras = readExtras;
    }

    public int Count => Scenes.Count;

    public TrainingScene Scene(int index)
    {
        if (!Cache) return Read(index);
        return _cache.GetOrAdd(index, k => new Lazy<TrainingScene>(() => Read(k))).Value;
    }

    private TrainingScene Read(int index)
    {
        var folder = Scenes[index];
        var scene = TrainingScene.From(KalantariScene.Read(folder, ReadExtras));
        if (scene.Segments != null || !ReadExtras) return scene;
        var cached = SemanticSegmentCache.Read(folder, scene.Width, scene.Height);
        return cached == null ? scene : scene with { Segments = cached };
    }
}
