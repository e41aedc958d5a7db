using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// For each batch item, channel and reference code level, the range of another exposure's codes consistent with it:
/// <see cref="Low"/> and <see cref="High"/>, [B, C, <see cref="ExposureConsistency.Levels"/>]
/// (<see cref="ExposureConsistency.EstimateMappings"/>).
/// </summary>
public sealed record IntensityMapping(Tensor Low, Tensor High)
{
    /// <summary>
    /// The mapping for an input of <paramref name="batch"/> items: itself, or repeated when tiled inference runs
    /// several tiles of one image as a batch (tile-major, so a repeat lines the items up).
    /// </summary>
    public IntensityMapping ForBatch(long batch)
    {
        long own = Low.shape[0];
        if (batch == own) return this;
        if (batch % own != 0) throw new ArgumentException($"a mapping for {own} images cannot serve a batch of {batch}");
        return new IntensityMapping(Low.repeat(batch / own, 1, 1), High.repeat(batch / own, 1, 1));
    }

    internal IntensityMapping MoveToOuterDisposeScope() => new(Low.MoveToOuterDisposeScope(), High.MoveToOuterDisposeScope());
}
