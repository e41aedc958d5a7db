using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models.Inference;
using TorchSharp;

namespace HdrKit.Models;

/// <summary>
/// Merges a bracket with a deghosting network: builds the input the model was trained on, runs it tile by tile
/// (bounded memory at any image size, see <see cref="TiledInference"/>) and returns radiance on the same scale as
/// the classical merge — relative to the reference (middle) exposure, so a well-exposed reference pixel reads
/// about LDR^2.2.
/// </summary>
public sealed class NetworkMerger(HdrNetwork network, TileOptions? tiles = null)
{
    public HdrNetwork Network { get; } = network;

    public FloatImage Merge(Bracket bracket, IProgress<double>? progress = null)
    {
        var spec = Network.InputSpec;
        if (!spec.Accepts(bracket.Count))
            throw new ArgumentException($"model {Network.GetName()} takes {string.Join(" or ", spec.ExposureCounts!)} exposures, the bracket has {bracket.Count}; pick that many images or use --method classical");
        var sorted = bracket.SortedByExposure();
        // Networks were trained with the middle exposure as reference; their output follows its geometry.
        var middle = new Bracket(sorted.Frames, sorted.ExposureSeconds, sorted.Count / 2);

        using var scope = torch.NewDisposeScope();
        var input = NetworkInput.Build(middle, spec);
        var output = new TiledInference(Network, tiles ?? TileOptions.For(Network))
            .Run(input, p => progress?.Report(p.Done / (double)p.Total));
        var scale = NetworkInput.ExposureTimes(middle, spec.ExposureTimeOrigin)[middle.ReferenceIndex];
        return FloatImage.FromTensor(output * scale);
    }
}
