namespace HdrKit.Inference;

/// <summary>The frames of one bracket found in a batch folder, in capture order, and the name its output takes.</summary>
public sealed record BracketGroup(string Name, IReadOnlyList<BatchFrame> Frames)
{
    public int Count => Frames.Count;

    public IReadOnlyList<string> Files => Frames.Select(f => f.Path).ToArray();
}
