namespace HdrKit.Data;

/// <summary>
/// A finite set of whole training scenes, addressable by index: what epoch hooks iterate to recompute per-scene
/// state (per-segment statistics, pseudo labels) and what the patch loader samples from (uniformly by index).
/// <see cref="Scene"/> must be safe to call from several threads at once.
/// </summary>
public interface ITrainingScenes : ISceneSource
{
    int Count { get; }

    TrainingScene Scene(int index);

    /// <summary>
    /// Whether scene <paramref name="index"/> keeps its ground truth; what a labelled quota
    /// (<see cref="LabelledQuota"/>) splits the set by. Sets that know it without reading the scene say so.
    /// </summary>
    bool IsLabelled(int index) => Scene(index).Labelled;

    TrainingScene ISceneSource.SceneFor(long sampleId, Random rng) => Scene(rng.Next(Count));
}

public static class TrainingScenesExtensions
{
    /// <summary>Every scene in index order, read lazily.</summary>
    public static IEnumerable<TrainingScene> All(this ITrainingScenes scenes)
    {
        for (int i = 0; i < scenes.Count; i++) yield return scenes.Scene(i);
    }
}
