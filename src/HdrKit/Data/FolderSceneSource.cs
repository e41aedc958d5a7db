using System.Collections.Concurrent;

namespace HdrKit.Data;

/// <summary>
/// Scenes of a Kalantari-layout dataset folder (Kalantari, Tel, or ours), each sample drawing one uniformly.
/// Decoded scenes are cached in memory by default: decoding 16-bit TIFFs per patch would dominate a training step.
/// The cache stops taking scenes at <see cref="CacheBudgetBytes"/>; later scenes are decoded on every request, so a
/// folder larger than memory trains slower instead of being killed by the kernel.
/// Segments come from the scene's segments.png, else from a semantic-bank cache file in the scene folder.
/// <see cref="LabelledScenes"/> over it keeps the ground truth of a subset only.
/// </summary>
public sealed class FolderSceneSource : ITrainingScenes
{
    private readonly ConcurrentDictionary<int, Lazy<TrainingScene>> _cache = new();
    private long _cachedBytes;

    public IReadOnlyList<string> Scenes { get; }
    public bool Cache { get; }
    public bool ReadExtras { get; }
    /// <summary>
    /// Decoded bytes the cache may hold; by default a quarter of the memory the runtime sees, because a training run's
    /// resident size came to about twice its cached scenes' decoded bytes (docs/data.md).
    /// </summary>
    public long CacheBudgetBytes { get; }
    public int CachedScenes => _cache.Count;

    public FolderSceneSource(string root, bool cache = true, bool readExtras = true, long? cacheBudgetBytes = null)
    {
        Scenes = KalantariScene.FindScenes(root);
        Cache = cache; ReadExtras = readExtras;
        CacheBudgetBytes = cacheBudgetBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
        if (CacheBudgetBytes < 0) throw new ArgumentOutOfRangeException(nameof(cacheBudgetBytes), "the cache budget must be ≥ 0");
    }

    public int Count => Scenes.Count;

    public TrainingScene Scene(int index)
    {
        if (!Cache) return Read(index);
        if (_cache.TryGetValue(index, out var hit)) return hit.Value;
        if (Interlocked.Read(ref _cachedBytes) >= CacheBudgetBytes) return Read(index);
        // Counted inside the factory, so a scene two threads race for is counted once, by the Lazy that won.
        return _cache.GetOrAdd(index, k => new Lazy<TrainingScene>(() =>
        {
            var scene = Read(k);
            Interlocked.Add(ref _cachedBytes, DecodedBytes(scene));
            return scene;
        })).Value;
    }

    private static long DecodedBytes(TrainingScene scene) =>
        scene.Frames.Sum(f => (long)f.Data.Length * sizeof(float)) + (scene.GroundTruth?.Data.LongLength ?? 0) * sizeof(float)
        + ((scene.Segments?.Labels.LongLength ?? 0) + (scene.MotionMask?.Labels.LongLength ?? 0)) * sizeof(ushort);

    private TrainingScene Read(int index)
    {
        var folder = Scenes[index];
        var scene = TrainingScene.From(KalantariScene.Read(folder, ReadExtras));
        if (scene.Segments != null || !ReadExtras) return scene;
        var cached = SemanticSegmentCache.Read(folder, scene.Width, scene.Height);
        return cached == null ? scene : scene with { Segments = cached };
    }
}
