using HdrKit.Models.Blocks;

namespace HdrKit.Models.SafNet;

/// <summary>What SAFNet estimates from the whole image: the exposure-consistency gate's mappings from the reference to the short and the long exposure.</summary>
public sealed class SafNetStatistics(IntensityMapping shortMapping, IntensityMapping longMapping) : ImageStatistics
{
    public IntensityMapping Short { get; } = shortMapping;

    public IntensityMapping Long { get; } = longMapping;
}
