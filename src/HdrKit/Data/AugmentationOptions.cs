namespace HdrKit.Data;

/// <summary>Which augmentations the loader draws per patch.</summary>
public sealed record AugmentationOptions
{
    public bool HorizontalFlips { get; init; } = true;
    public bool VerticalFlips { get; init; } = true;
    public bool Rotations { get; init; } = true;
    /// <summary>Permute RGB per patch; off by default because it also permutes white balance statistics.</summary>
    public bool ChannelShuffle { get; init; }

    public static AugmentationOptions None => new() { HorizontalFlips = false, VerticalFlips = false, Rotations = false };
    /// <summary>Flips and 90° rotations: the references' augmentation for labelled data and the teacher's view.</summary>
    public static AugmentationOptions Weak => new();
    /// <summary>
    /// Weak plus an RGB channel permutation: the semi-supervised method's student augmentation (its code applies
    /// channel shuffle, flips and 90° rotations; see ../shared/docs/reference-notes.md §5).
    /// </summary>
    public static AugmentationOptions Strong => new() { ChannelShuffle = true };

    /// <summary>A config's <c>augment</c>: none | weak | strong; true and false are the old boolean spelling (weak, none).</summary>
    public static AugmentationOptions Named(string level) => level.Trim().ToLowerInvariant() switch
    {
        "none" or "false" => None,
        "weak" or "true" => Weak,
        "strong" => Strong,
        _ => throw new ArgumentException($"augment must be none, weak or strong, got '{level}'"),
    };
}
