using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Inference;

/// <summary>
/// The Kalantari-style input every deghosting network consumes: [1, N, 6, H, W], exposures sorted short → long,
/// each exposure's channels [H, LDR] or [LDR, H] with H = clip(LDR,0,1)^2.2 / t.
///
/// The exposure times t must be those the network was trained with, not seconds. Kalantari's exposure.txt counts
/// stops from the shortest exposure (0/2/4 or 0/3/6: the parity data records scene 002 as "0/2/4 stops, t = 1, 4,
/// 16"); AHDRNet, HDR-Transformer and SMNet use t = 2^value (<see cref="ExposureTimeOrigin.Absolute"/>), SAFNet t = 2^(value − min value)
/// (<see cref="ExposureTimeOrigin.ShortestIsOne"/>), which agree on those files. A bracket in seconds only fixes ratios, so it is put on the same
/// footing — stops = log2(t_i / t_shortest), the shortest exposure has t = 1 — whatever the origin. The origins
/// differ only for dataset files whose stops do not start at 0 (see Data/PatchLoader).
/// </summary>
public static class NetworkInput
{
    /// <summary>The network-domain exposure time of each frame, in the bracket's frame order.</summary>
    public static double[] ExposureTimes(Bracket bracket, ExposureTimeOrigin origin)
    {
        CheckOrigin(origin);
        var stops = bracket.RelativeStops();
        double shortest = stops.Min();
        return stops.Select(s => Math.Pow(2, s - shortest)).ToArray();
    }

    /// <summary>Builds the [1, N, 6, H, W] float32 CPU tensor for a network with the given input spec.</summary>
    public static Tensor Build(Bracket bracket, NetworkInputSpec spec) => Build(bracket, spec.Order, spec.ExposureTimeOrigin);

    public static Tensor Build(Bracket bracket, InputOrder order, ExposureTimeOrigin origin)
    {
        var sorted = bracket.SortedByExposure();
        return SixChannelPacking.Pack(sorted.Frames, ExposureTimes(sorted, origin), order);
    }

    /// <summary>
    /// Factor k with E = k·H_net: network outputs are radiance in the network's time unit (reference t = 1 for
    /// <see cref="ExposureTimeOrigin.Absolute"/>, shortest t = 1 for <see cref="ExposureTimeOrigin.ShortestIsOne"/>);
    /// k = t_net,ref / t_ref converts them to radiance per second of the bracket's <see cref="Bracket.ExposureSeconds"/>
    /// (1/t_ref resp. 1/t_min).
    /// </summary>
    public static double AbsoluteRadianceScale(Bracket bracket, ExposureTimeOrigin origin) =>
        ExposureTimes(bracket, origin)[bracket.ReferenceIndex] / bracket.ExposureSeconds[bracket.ReferenceIndex];

    /// <summary>A network output (relative to the network's exposure unit) as radiance per second of exposure.</summary>
    public static FloatImage ToAbsoluteRadiance(FloatImage networkOutput, Bracket bracket, ExposureTimeOrigin origin)
    {
        return networkOutput.Clone().ScaleInPlace((float)AbsoluteRadianceScale(bracket, origin));
    }

    private static void CheckOrigin(ExposureTimeOrigin origin)
    {
        if (!Enum.IsDefined(origin)) throw new ArgumentOutOfRangeException(nameof(origin), origin, "unknown exposure time origin");
    }
}
