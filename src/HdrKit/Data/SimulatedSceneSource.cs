using System.Collections.Concurrent;

namespace HdrKit.Data;

/// <summary>
/// A fixed set of <see cref="Count"/> simulated scenes: scene i is <see cref="BracketSimulator.Simulate"/>(seed,
/// start + i), the same scene `hdrkit simulate --seed S --start` writes. Without a cache folder every request
/// renders the scene again (no memory grows with the count); with one, each scene is written there in the
/// Kalantari layout on first use, read back from then on and kept decoded in memory, so a later run, or
/// `data.kind: kalantari` on that folder, trains on the same scenes.
/// </summary>
public sealed class SimulatedSceneSource : ITrainingScenes
{
    private readonly ConcurrentDictionary<int, Lazy<TrainingScene>> _cache = new();

    public BracketSimulator Simulator { get; }
    public long Seed { get; }
    public int Start { get; }
    public int Count { get; }
    public string? CacheFolder { get; }

    public SimulatedSceneSource(BracketSimulator simulator, long seed, int count, int start = 0, string? cacheFolder = null)
    {
        if (count < 1) throw new ArgumentException($"a simulated source needs at least one scene, got {count}");
        if (start < 0) throw new ArgumentException($"the first simulated scene index must not be negative, got {start}");
        Simulator = simulator; Seed = seed; Count = count; Start = start; CacheFolder = cacheFolder;
    }

    public TrainingScene Scene(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"scene {index} of {Count}");
        if (CacheFolder == null) return TrainingScene.From(Simulator.Simulate(Seed, Start + index));
        return _cache.GetOrAdd(index, k => new Lazy<TrainingScene>(() => Cached(Start + k))).Value;
    }

    /// <summary>The simulator renders every scene's radiance.</summary>
    public bool IsLabelled(int index) =>
        (uint)index < (uint)Count ? true : throw new ArgumentOutOfRangeException(nameof(index), $"scene {index} of {Count}");

    private TrainingScene Cached(int sceneIndex)
    {
        var folder = Path.Combine(CacheFolder!, BracketSimulator.SceneName(sceneIndex));
        // A folder from an earlier run is trusted only when complete: scene.txt is the last file Write makes.
        if (!File.Exists(Path.Combine(folder, KalantariScene.ProvenanceFile)))
            KalantariScene.Write(folder, Simulator.Simulate(Seed, sceneIndex));
        return TrainingScene.From(KalantariScene.Read(folder));
    }
}
