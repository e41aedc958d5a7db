namespace HdrKit.Data;

/// <summary>Where training patches come from: scenes simulated on the fly or read from a dataset folder.</summary>
public interface ISceneSource
{
    /// <summary>
    /// The scene a training sample draws its patch from. <paramref name="sampleId"/> is unique per sample in the
    /// stream and <paramref name="rng"/> is that sample's own generator, so the result never depends on which
    /// worker thread asks or when. Implementations must be safe to call from several threads at once.
    /// </summary>
    TrainingScene SceneFor(long sampleId, Random rng);
}
