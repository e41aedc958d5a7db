namespace HdrKit.Data;

/// <summary>
/// Several scene sets as one (a config's <c>data.sources</c>): index i runs through the first set, then the
/// second, and so on, so the loader samples every scene of every source with the same probability and epoch
/// hooks see each scene once. With several sources, scene ids are prefixed with the source's position ("1/scene0003")
/// so they stay unique.
/// </summary>
public sealed class ConcatenatedScenes : ITrainingScenes
{
    private readonly int[] _starts;

    public IReadOnlyList<ITrainingScenes> Sources { get; }
    public int Count { get; }

    public ConcatenatedScenes(IReadOnlyList<ITrainingScenes> sources)
    {
        if (sources.Count == 0) throw new ArgumentException("need at least one scene source");
        Sources = sources;
        _starts = new int[sources.Count];
        int total = 0;
        for (int i = 0; i < sources.Count; i++) { _starts[i] = total; total = checked(total + sources[i].Count); }
        Count = total;
    }

    public TrainingScene Scene(int index)
    {
        int s = SourceOf(index);
        var scene = Sources[s].Scene(index - _starts[s]);
        return Sources.Count == 1 ? scene : scene with { Id = $"{s}/{scene.Id}" };
    }

    public bool IsLabelled(int index)
    {
        int s = SourceOf(index);
        return Sources[s].IsLabelled(index - _starts[s]);
    }

    private int SourceOf(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"scene {index} of {Count}");
        int s = Array.BinarySearch(_starts, index);
        if (s < 0) s = ~s - 1;
        while (s + 1 < _starts.Length && _starts[s + 1] == index) s++; // skip empty sources
        return s;
    }
}
