using HdrKit.Util;
using System.Collections.Concurrent;
using HdrKit.Data;
using HdrKit.Imaging;
using HdrKit.Semantic;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>
/// The `skt` recipe's semantic priors for a batch: the frozen bank's four feature levels p_f and its segment ids
/// p_m, on the patch grid. "reference" priors are computed once per scene on the whole reference frame, kept (as
/// float16, the bank's cache precision) and cut to each patch by its <see cref="PatchPlacement"/>; "output" priors
/// are the paper's, computed on T(H_in) every step. Endless sources have no whole scenes, so they always take
/// output priors. Everything returned is detached: the bank is frozen.
/// </summary>
public sealed class SktPriors : IDisposable
{
    private sealed record ScenePriors(Tensor[] Features, Tensor Segments);

    private readonly SemanticKnowledgeBank _bank;
    private readonly bool _reference;
    private readonly string? _cacheDir;
    private readonly ConcurrentDictionary<string, ScenePriors> _scenes = new();
    private ITrainingScenes? _source;
    private Dictionary<string, int>? _index;

    public SktPriors(SemanticKnowledgeBank bank, bool reference, string? cacheDir)
    {
        _bank = bank;
        _reference = reference;
        _cacheDir = cacheDir;
    }

    public SemanticKnowledgeBank Bank => _bank;

    /// <summary>Scenes whose priors are held in memory.</summary>
    public int CachedScenes => _scenes.Count;

    /// <summary>The whole scenes behind the batches (null for endless sources).</summary>
    public void Attach(ITrainingScenes? scenes)
    {
        if (ReferenceEquals(scenes, _source)) return;
        _source = scenes;
        _index = null;
        Clear();
    }

    /// <summary>Features [B, C_i, ⌈P/s_i⌉, ⌈P/s_i⌉] and segment ids [B, P, P] int64 on the batch's device.</summary>
    public (Tensor[] Features, Tensor Segments) For(TrainingBatch batch, Tensor muLawOutput)
    {
        using var scope = torch.NewDisposeScope();
        var device = batch.Inputs.device;
        Tensor[] features;
        Tensor segments;
        if (_reference && _source is not null)
        {
            var perSample = batch.Samples.Select(s => (Placement: s, Priors: Scene(s.SceneId))).ToArray();
            features = _bank.Backend.FeatureInfo.Select((fi, i) => torch.stack(perSample.Select(p => Cut(p.Priors.Features[i], p.Placement, fi.Reduction))).to(ScalarType.Float32)).ToArray();
            segments = torch.stack(perSample.Select(p => p.Placement.Apply(p.Priors.Segments)));
        }
        else
        {
            var images = Enumerable.Range(0, (int)muLawOutput.shape[0]).Select(b => FloatImage.FromTensor(muLawOutput[b].detach().clamp(Scalars.Of(0), Scalars.Of(1)))).ToArray();
            var priors = _bank.Compute(images);
            try
            {
                features = Enumerable.Range(0, priors[0].Features.Length).Select(i => torch.stack(priors.Select(p => p.Features[i]))).ToArray();
                segments = torch.stack(priors.Select(SegmentIds));
            }
            finally { foreach (var p in priors) p.Dispose(); }
        }
        return (features.Select(f => f.to(device).MoveToOuterDisposeScope()).ToArray(), segments.to(device).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// One binary mask per segment id present in the batch, [B, K, P, P]: ids are renumbered over the batch so K
    /// counts only the segments the patches contain, not the whole scene's.
    /// </summary>
    public static Tensor Masks(Tensor segments)
    {
        using var scope = torch.NewDisposeScope();
        var (unique, inverse, _) = torch.unique(segments, sorted: true, return_inverse: true);
        return nn.functional.one_hot(inverse!, unique.numel()).permute(0, 3, 1, 2).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private ScenePriors Scene(string id) => _scenes.GetOrAdd(id, Compute);

    private ScenePriors Compute(string id)
    {
        _index ??= Enumerable.Range(0, _source!.Count).ToDictionary(i => _source.Scene(i).Id, i => i);
        if (!_index.TryGetValue(id, out var i)) throw new InvalidOperationException($"batch names scene '{id}', which the training scenes do not hold");
        var scene = _source!.Scene(i);
        var reference = scene.Frames[scene.ReferenceIndex];
        using var priors = _cacheDir is null ? _bank.Compute(reference) : _bank.GetOrCompute(reference, _cacheDir);
        // The cache outlives the step's dispose scope it is filled in; it is disposed with the recipe.
        using var scope = torch.NewDisposeScope();
        var features = priors.Features.Select(f => f.to(ScalarType.Float16).DetachFromDisposeScope()).ToArray();
        return new ScenePriors(features, SegmentIds(priors).DetachFromDisposeScope());
    }

    private static Tensor SegmentIds(SemanticPriors p) => torch.tensor(p.Segments.Ids, [p.Height, p.Width], ScalarType.Int64);

    /// <summary>
    /// The patch of a stride-s feature map: the same crop and rotation/flip on the s-times coarser grid. Exact for
    /// offsets and sizes that are multiples of s; otherwise the cell containing the patch's corner starts it.
    /// </summary>
    private static Tensor Cut(Tensor feature, PatchPlacement placement, int stride)
    {
        int size = (placement.Size + stride - 1) / stride;
        return (placement with { X = placement.X / stride, Y = placement.Y / stride, Size = size }).Apply(feature);
    }

    private void Clear()
    {
        foreach (var p in _scenes.Values)
        {
            foreach (var f in p.Features) f.Dispose();
            p.Segments.Dispose();
        }
        _scenes.Clear();
    }

    public void Dispose()
    {
        Clear();
        _bank.Dispose();
    }
}
