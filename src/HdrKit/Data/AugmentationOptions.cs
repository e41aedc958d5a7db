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
    public static AugmentationOptions Strong => new() { ChannelShuffle = true };
}
