namespace HdrKit.Models;

/// <summary>
/// SAFNet's configuration. The released models use encoder width 40 (decoder 3 × 40) and align at half
/// resolution; SAFNet-S uses the light refine net, SAFNet the residual-block one.
/// </summary>
/// <param name="EncoderWidth">Channels of every encoder level; the shared decoder is three times as wide (its grouped convs need 3 groups).</param>
/// <param name="FullRefiner">True: SAFNet's feature-warping residual refine net; false: SAFNet-S's light one.</param>
/// <param name="AlignmentScale">Resolution of flow and mask estimation relative to the input (the reference's scale_factor).</param>
public sealed record SafNetConfig(int EncoderWidth = 40, bool FullRefiner = false, double AlignmentScale = 0.5)
{
    /// <summary>Sizes the alignment branch works at are multiples of this (four stride-2 levels).</summary>
    public const int AlignmentMultiple = 16;

    public static SafNetConfig Small { get; } = new();

    public static SafNetConfig Full { get; } = new(FullRefiner: true);

    public static SafNetConfig FromOptions(ModelOptions options, SafNetConfig defaults)
    {
        if (options.Exposures != 3) throw new ArgumentException($"SAFNet merges exactly 3 exposures, not {options.Exposures}");
        var config = defaults with { EncoderWidth = options.Width ?? defaults.EncoderWidth };
        if (options.Extra.TryGetValue("alignment_scale", out var s))
            config = config with { AlignmentScale = double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) };
        if (config.EncoderWidth < 1) throw new ArgumentException($"SAFNet encoder width must be positive, got {config.EncoderWidth}");
        if (config.AlignmentScale is <= 0 or > 1) throw new ArgumentException($"alignment_scale must be in (0, 1], got {config.AlignmentScale}");
        return config;
    }
}
