using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>Which half of the 6-channel per-exposure input comes first.</summary>
public enum InputOrder
{
    /// <summary>[H, LDR]: HDR-Transformer, SMNet, SAFNet.</summary>
    LinearFirst,
    /// <summary>[LDR, H]: AHDRNet.</summary>
    LdrFirst,
}

/// <summary>What a network expects of its input; inference and training read this instead of per-model code.</summary>
/// <param name="Order">Channel order of each exposure's 6 channels.</param>
/// <param name="ExposureCounts">Exposure counts the network accepts; null means any count ≥ 1.</param>
/// <param name="PadMultiple">Height and width must be a multiple of this (inference pads, then crops).</param>
/// <param name="ExposureTimeOrigin">Unit of the exposure times the network was trained with.</param>
public sealed record NetworkInputSpec(InputOrder Order, IReadOnlyList<int>? ExposureCounts, int PadMultiple, ExposureTimeOrigin ExposureTimeOrigin = ExposureTimeOrigin.Absolute)
{
    public bool Accepts(int exposures) => ExposureCounts == null ? exposures >= 1 : ExposureCounts.Contains(exposures);
}

/// <summary>
/// One intermediate feature map a network exposes (timm's feature_info): its name, channels and stride. A
/// feature of an input [B, N, 6, H, W] has shape [B, Channels, H / Reduction, W / Reduction] when H and W are
/// multiples of <see cref="FeatureInfoExtensions.InputMultiple"/>.
/// </summary>
public sealed record FeatureInfo(string Name, int Channels, int Reduction);

/// <summary>The output of a forward pass with its named intermediate features (views into the graph, not copies).</summary>
public sealed record HdrForward(Tensor Output, IReadOnlyDictionary<string, Tensor> Features)
{
    /// <summary>
    /// The result of a forward pass made in its own dispose scope, handed to the caller's scope: each tensor moved
    /// once, also when the output is one of the features. Moving such a tensor twice passed it on to the caller's
    /// caller: SAFNet without its refine net (the default model) outputs its "merged" feature, and a tiled merge
    /// then kept every tile's output (12 MB at 1024²) alive until the last tile (bench/results/merge.md).
    /// </summary>
    public static HdrForward MovedOut(Tensor output, IReadOnlyDictionary<string, Tensor> features)
    {
        foreach (var t in features.Values.Append(output).Distinct<Tensor>(ReferenceEqualityComparer.Instance)) t.MoveToOuterDisposeScope();
        return new HdrForward(output, features);
    }
}

/// <summary>
/// Base of every HDR deghosting network. Input: [B, N, 6, H, W], N exposures sorted short → long, each with
/// 6 channels in <see cref="NetworkInputSpec.Order"/>; the reference is the middle exposure. Output:
/// [B, 3, H, W] linear HDR (the references' sigmoid range, radiance relative to the reference exposure).
///
/// Features use shared names so that the knowledge-transfer and semi-supervised methods tap any model
/// without per-model code: "fused" = features after exposure alignment/fusion (where the judge network and
/// SKAM attach), "body" = deep features just before the reconstruction head. Each model adds its per-stage
/// taps (per dense block, per Swin group, per pyramid level) so a recipe picks features by name and stride.
/// </summary>
public abstract class HdrNetwork : nn.Module<Tensor, Tensor>
{
    // Building a network is where every merge, evaluation and training run first needs a right convolution; checked
    // before the base constructor, which loads libtorch, so the check's time includes the load.
    protected HdrNetwork(string name) : base(CheckedConvolution(name)) { }

    private static string CheckedConvolution(string name)
    {
        Util.ConvolutionSelfCheck.EnsureRun();
        return name;
    }

    public abstract NetworkInputSpec InputSpec { get; }

    public abstract IReadOnlyList<FeatureInfo> FeatureInfo { get; }

    /// <summary>
    /// Side of the tiles tiled inference cuts by default. 512 keeps the attention and dense-block networks'
    /// activations to a few GiB; networks that work at reduced resolution can afford more, and larger tiles give
    /// their flow estimation more context for large motion.
    /// </summary>
    public virtual int PreferredTileSize => 512;

    /// <summary>
    /// Image sides at which the network's own resampling is exact. It takes any size that <see cref="InputSpec"/>'s
    /// pad multiple allows, but a whole image of another size is resampled inside while 32-multiple tiles are not, so
    /// tiled and whole-image runs differ; <see cref="Inference.TileOptions.For"/> pads the image to this. 1: no resampling.
    /// </summary>
    public virtual int PreferredSizeMultiple => 1;

    /// <summary>Forward pass that also returns the intermediate features listed in <see cref="FeatureInfo"/>.</summary>
    public abstract HdrForward ForwardWithFeatures(Tensor exposures);

    /// <summary>Whether <see cref="EstimateStatistics"/> gives anything: tiled inference then samples the whole image first.</summary>
    public virtual bool UsesImageStatistics => false;

    /// <summary>The image-wide quantities this network needs, from <see cref="ImageStatistics.Sample"/> of the whole input; null if none.</summary>
    public virtual ImageStatistics? EstimateStatistics(Tensor sample) => null;

    /// <summary>
    /// A forward pass of a tile (or the whole image) with the statistics estimated from the whole image; null: from
    /// <paramref name="exposures"/> itself, as <see cref="ForwardWithFeatures(Tensor)"/> does.
    /// </summary>
    public virtual HdrForward ForwardWithFeatures(Tensor exposures, ImageStatistics? statistics) => ForwardWithFeatures(exposures);

    /// <summary>The output alone; the features' handles are released at once so inference does not hold them to the scope's end.</summary>
    public override Tensor forward(Tensor exposures) => forward(exposures, null);

    /// <summary>As <see cref="forward(Tensor)"/>, with the whole image's statistics (<see cref="ForwardWithFeatures(Tensor, ImageStatistics?)"/>).</summary>
    public Tensor forward(Tensor exposures, ImageStatistics? statistics)
    {
        var result = ForwardWithFeatures(exposures, statistics);
        foreach (var feature in result.Features.Values)
            if (!ReferenceEquals(feature, result.Output)) feature.Dispose();
        return result.Output;
    }

    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>
    /// Loads weights by name, strictly: HdrKit's .safetensors or a released PyTorch .pth. Constants that the Swin
    /// references save with their weights but these models recompute per input size are skipped.
    /// </summary>
    public Weights.StateDictLoadResult LoadWeights(string path) =>
        Weights.StateDictLoader.LoadFile(this, path, new Weights.StateDictOptions { IgnoreSuffixes = Blocks.ReferenceCheckpoint.DerivedSuffixes });

    /// <summary>Splits [B, N, 6, H, W] into N tensors of [B, 6, H, W].</summary>
    protected static Tensor[] SplitExposures(Tensor exposures)
    {
        if (exposures.dim() != 5 || exposures.shape[2] != 6)
            throw new ArgumentException($"expected [B, N, 6, H, W] exposures, got [{string.Join(",", exposures.shape)}]");
        return exposures.unbind(1);
    }
}
