namespace HdrKit.Data;

/// <summary>A scene set of which only a fixed-seed <see cref="LabelledSubset"/> keeps its ground truth.</summary>
public sealed class LabelledScenes : ITrainingScenes
{
    private readonly ITrainingScenes _scenes;
    private readonly bool[] _labelled;

    public LabelledScenes(ITrainingScenes scenes, LabelledSubset subset)
    {
        _scenes = scenes;
        _labelled = subset.Pick(scenes.Count);
    }

    public int Count => _scenes.Count;

    public bool IsLabelled(int index) => _labelled[index] && _scenes.IsLabelled(index);

    public TrainingScene Scene(int index)
    {
        var scene = _scenes.Scene(index);
        return _labelled[index] ? scene : scene.WithoutGroundTruth();
    }
}
