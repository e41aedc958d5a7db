namespace HdrKit.Models.Blocks;

/// <summary>
/// The Swin-based references save two derived constants with their weights: each window attention's
/// relative_position_index and each shifted block's attn_mask (built for their 128×128 training size).
/// Both are recomputed here for every input size, so they are not part of the models' state; drop them
/// from a released checkpoint before a strict load.
/// </summary>
public static class ReferenceCheckpoint
{
    public static IReadOnlyList<string> DerivedSuffixes { get; } = [".relative_position_index", ".attn_mask"];

    public static bool IsDerivedBuffer(string key) => DerivedSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal));
}
