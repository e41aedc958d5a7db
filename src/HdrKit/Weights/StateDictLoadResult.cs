namespace HdrKit.Weights;

/// <summary>What a state-dict load did: the keys copied, and those it could not match (non-strict loads only).</summary>
public sealed record StateDictLoadResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected)
{
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0;
}
