using HdrKit.Models.Blocks;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>Which masking a <see cref="SegmentFeatureMasker"/> call applied.</summary>
public enum MaskBranch
{
    /// <summary>Nothing masked: no batch set, or every ratio is 0 (the curriculum's unmasked phase).</summary>
    None,
    /// <summary>Binary keep-map: a fraction of each segment's pixels zeroed.</summary>
    Segment,
    /// <summary>ADL-style soft map: features × sigmoid(channel mean).</summary>
    Activation,
}

/// <summary>
/// SMHDR's segment-guided feature masking (reference-notes §4) behind SMNet's <see cref="IFeatureMasker"/>
/// hook. Each call draws, from its own seeded generator, the segment branch with probability
/// <see cref="SegmentProbability"/> (0.75) or the activation branch otherwise. The segment branch zeroes,
/// inside each segment, round(min(ratio_seg, 1)·N_seg) pixels chosen uniformly at random, over all
/// channels; segments are resized (nearest) to the feature resolution first, so masks follow segment
/// borders at every scale. A ratio of 0 everywhere disables both branches, so the curriculum's first
/// phase trains the plain network. The network calls the hook in training mode only.
/// </summary>
public sealed class SegmentFeatureMasker : IFeatureMasker, IDisposable
{
    public const double PaperSegmentProbability = 0.75;

    private readonly Generator generator;
    private Tensor? segments;
    private Tensor? ratios;

    public double SegmentProbability { get; }
    public MaskBranch LastBranch { get; private set; } = MaskBranch.None;

    public SegmentFeatureMasker(ulong seed, double segmentProbability = PaperSegmentProbability)
    {
        if (!(segmentProbability >= 0 && segmentProbability <= 1))
            throw new ArgumentException($"segment probability must lie in [0, 1], got {segmentProbability}");
        SegmentProbability = segmentProbability;
        generator = new Generator(seed);
    }

    /// <summary>
    /// Sets the current batch: <paramref name="segmentMap"/> [B, 1, H, W] (or [B, H, W]) integer ids in
    /// 0..S-1 and <paramref name="segmentRatios"/> [B, S] the fraction of each segment to mask
    /// (<see cref="Losses.SegmentWeights.MaskRatios"/>). Both are copied.
    /// </summary>
    public void SetBatch(Tensor segmentMap, Tensor segmentRatios)
    {
        var map = segmentMap.dim() == 3 ? segmentMap.unsqueeze(1) : segmentMap.alias();
        if (map.dim() != 4 || map.shape[1] != 1)
            throw new ArgumentException($"segments must be [B,1,H,W] or [B,H,W], got [{string.Join(",", segmentMap.shape)}]");
        if (segmentRatios.dim() != 2 || segmentRatios.shape[0] != map.shape[0])
            throw new ArgumentException($"segment ratios must be [B,S] with B={map.shape[0]}, got [{string.Join(",", segmentRatios.shape)}]");
        Clear();
        // Owned by the masker across forward passes: out of every dispose scope.
        using (var scope = NewDisposeScope())
        {
            segments = map.to(ScalarType.Int64).detach().clone().DetachFromDisposeScope();
            ratios = segmentRatios.to(ScalarType.Float64).detach().clone().DetachFromDisposeScope();
        }
        map.Dispose();
    }

    /// <summary>Random (segment-free) masking: every image is one segment masked at <paramref name="ratio"/>.</summary>
    public void SetUniform(int batchSize, double ratio)
    {
        Clear();
        using var r = ratio.ToScalar();
        ratios = full(new long[] { batchSize, 1 }, r, dtype: ScalarType.Float64).DetachFromDisposeScope();
    }

    public void Clear()
    {
        segments?.Dispose(); segments = null;
        ratios?.Dispose(); ratios = null;
    }

    /// <summary>The generator's state, for checkpoints: a resumed run draws the same masks.</summary>
    public Tensor GetGeneratorState() => generator.get_state();

    public void SetGeneratorState(Tensor state) => generator.set_state(state);

    public Tensor Mask(Tensor features, int group)
    {
        using var scope = NewDisposeScope();
        if (ratios is null || ratios.max().item<double>() <= 0)
        {
            LastBranch = MaskBranch.None;
            return features.alias().MoveToOuterDisposeScope();
        }
        if (features.shape[0] != ratios.shape[0])
            throw new ArgumentException($"masker set for a batch of {ratios.shape[0]}, features have {features.shape[0]}");
        bool segmentBranch = rand(new long[] { 1 }, dtype: ScalarType.Float64, generator: generator).item<double>() < SegmentProbability;
        Tensor result;
        if (segmentBranch)
        {
            LastBranch = MaskBranch.Segment;
            result = features * KeepMap(SegmentsAt(features.shape[2], features.shape[3], features.shape[0]), ratios).to(features.dtype, features.device);
        }
        else
        {
            LastBranch = MaskBranch.Activation;
            result = features * sigmoid(features.mean([1], keepdim: true));
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, 1, h, w] float64 keep-map (1 = kept) for segment ids <paramref name="ids"/> [B, 1, h, w] and
    /// ratios [B, S]: exactly round(min(ratio, 1)·count) pixels of each segment are 0.
    /// </summary>
    public Tensor KeepMap(Tensor ids, Tensor segmentRatios)
    {
        using var scope = NewDisposeScope();
        long b = ids.shape[0], s = segmentRatios.shape[1];
        var flat = ids.to(ScalarType.Int64).reshape(b, -1);
        if (flat.min().item<long>() < 0 || flat.max().item<long>() >= s)
            throw new ArgumentException($"segment ids must lie in 0..{s - 1}");
        long pixels = flat.shape[1];
        using var batchScalar = b.ToScalar();
        using var segments = s.ToScalar();
        using var total = (b * pixels).ToScalar();
        var global = (flat + arange(batchScalar, dtype: ScalarType.Int64).unsqueeze(1) * segments).flatten();
        // Sorting by id + U(0,1) groups each segment's pixels in a random order; the first k of each go.
        var order = (global.to(ScalarType.Float64) + rand(new long[] { b * pixels }, dtype: ScalarType.Float64, generator: generator)).argsort();
        var sortedIds = global.index_select(0, order);
        var counts = global.bincount(null, b * s);
        var starts = counts.cumsum(0) - counts;
        var rank = arange(total, dtype: ScalarType.Int64) - starts.index_select(0, sortedIds);
        var quota = (segmentRatios.to(ScalarType.Float64).clamp(Scalars.Of(0), Scalars.Of(1)).flatten() * counts.to(ScalarType.Float64)).round();
        var zeroSorted = rank.to(ScalarType.Float64) < quota.index_select(0, sortedIds);
        var zero = zeros(b * pixels, dtype: ScalarType.Bool).scatter(0, order, zeroSorted);
        return (Scalars.Of(1.0) - zero.to(ScalarType.Float64)).view(ids.shape).MoveToOuterDisposeScope();
    }

    private Tensor SegmentsAt(long h, long w, long batch)
    {
        if (segments is null) return zeros(new long[] { batch, 1, h, w }, dtype: ScalarType.Int64);
        if (segments.shape[2] == h && segments.shape[3] == w) return segments.alias();
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(segments.to(ScalarType.Float64), new long[] { h, w }, mode: InterpolationMode.Nearest);
        return resized.to(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Clear();
        generator.Dispose();
    }
}
