namespace HdrKit.Models;

/// <summary>Helpers over <see cref="HdrNetwork.FeatureInfo"/> that need no per-model code.</summary>
public static class FeatureInfoExtensions
{
    /// <summary>
    /// The smallest side for which every listed feature (and the network's pad multiple) divides exactly: what a
    /// caller tapping features at several strides crops or pads to.
    /// </summary>
    public static int InputMultiple(this HdrNetwork network) =>
        network.FeatureInfo.Select(f => f.Reduction).Append(network.InputSpec.PadMultiple).Aggregate(1, NetworkPadding.LeastCommonMultiple);
}
