namespace HdrKit.Data;

/// <summary>
/// A fresh simulated scene for every sample, rendered directly at patch size (no crop needed), so the stream
/// never repeats a scene and costs one small render per patch.
/// </summary>
public sealed class SyntheticSceneSource(BracketSimulator simulator, long seed) : ISceneSource
{
    public BracketSimulator Simulator { get; } = simulator;

    public TrainingScene SceneFor(long sampleId, Random rng) => TrainingScene.From(Simulator.Simulate(seed, checked((int)(sampleId % int.MaxValue))));
}
