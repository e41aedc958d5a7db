using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Inference;

/// <summary>
/// Merges a bracket with a deghosting network: builds the input the model was trained on, runs it tile by tile
/// (bounded memory at any image size, see <see cref="TiledInference"/>) and returns radiance on the same scale as
/// the classical merge — relative to the reference (middle) exposure, so a well-exposed reference pixel reads
/// about LDR^2.2. With a <see cref="ReferenceGuard"/>, pixels where the network's output contradicts the reference
/// frame (it trusted an exposure it could not align) come from the classical reference-guided merge instead;
/// the classical merge only runs when there are such pixels.
/// </summary>
public sealed class NetworkMerger(HdrNetwork network, TileOptions? tiles = null, ReferenceGuard? guard = null)
{
    /// <summary>Guard masks covering less than this fraction of the image are ignored (isolated specks).</summary>
    public const double MinGuardCoverage = 1e-4;

    public HdrNetwork Network { get; } = network;

    public ReferenceGuard? Guard { get; } = guard;

    /// <summary>When set, receives the time of each stage of the merge (tile inputs, forward, blending, output copy).</summary>
    public StageTimes? Times { get; init; }

    public FloatImage Merge(Bracket bracket, IProgress<double>? progress = null) => MergeWithGuard(bracket, progress).Radiance;

    public NetworkMergeResult MergeWithGuard(Bracket bracket, IProgress<double>? progress = null)
    {
        var spec = Network.InputSpec;
        if (!spec.Accepts(bracket.Count))
            throw new ArgumentException($"model {Network.GetName()} takes {string.Join(" or ", spec.ExposureCounts!)} exposures, the bracket has {bracket.Count}; pick that many images or use --method classical");
        var sorted = bracket.SortedByExposure();
        // Networks were trained with the middle exposure as reference; their output follows its geometry.
        var middle = sorted.Subset(Enumerable.Range(0, sorted.Count).ToArray(), sorted.Count / 2);
        double networkShare = Guard == null ? 1.0 : 0.8;

        var input = new NetworkInputCrop(middle, spec);
        // The tiles are blended straight into the result's samples: no full-size output tensor and copy of it.
        var radiance = new FloatImage(input.Width, input.Height, 3);
        using (var scope = torch.NewDisposeScope())
        {
            var output = torch.frombuffer(radiance.Data, ScalarType.Float32).view(1, 3, input.Height, input.Width);
            new TiledInference(Network, tiles ?? TileOptions.For(Network)) { Times = Times }
                .RunInto(output, input.Count, input.Crop, p => progress?.Report(networkShare * p.Done / p.Total));
            var scale = NetworkInput.ExposureTimes(middle, spec.ExposureTimeOrigin)[middle.ReferenceIndex];
            using var s = scale.ToScalar();
            output.mul_(s);
        }
        if (Guard == null) return new NetworkMergeResult(radiance, null, 0);

        var mask = Guard.Detect(radiance, middle.Frames[middle.ReferenceIndex]);
        var unguarded = new NetworkMergeResult(radiance, mask, ReferenceGuard.Coverage(mask));
        if (!unguarded.GuardReplaced)
        {
            progress?.Report(1);
            return unguarded;
        }
        var classical = new ClassicalMerger().Merge(middle, ProgressSlice.Of(progress, networkShare, 1));
        return unguarded with { Radiance = ReferenceGuard.Blend(radiance, classical.Radiance, mask) };
    }
}
