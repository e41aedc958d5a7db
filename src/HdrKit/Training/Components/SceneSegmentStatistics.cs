using HdrKit.Data;
using HdrKit.Inference;
using HdrKit.Losses;
using HdrKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>
/// SMHDR's per-scene, per-segment reconstruction statistics (PSNR-μ and pixel counts from whole-scene
/// predictions) and what they turn into for a batch: loss weights softmax_s(−τ_l·PSNR-μ_s)·N_seg and masking
/// weights softmax_s(τ_m·PSNR-μ_s)·N_seg (both mean 1 over the scene's segments). A patch reads its scene's
/// values through its own segment ids, which the loader cut with the patch's placement, so the result equals
/// the full-scene map cut by <see cref="PatchPlacement"/> without holding full-resolution maps. Scenes without
/// statistics get 1 everywhere. Recipes that weight or mask by segment (SMHDR, and those that reuse it) keep
/// one and put <see cref="SaveState"/> into their checkpoint state.
/// </summary>
public sealed class SceneSegmentStatistics : IDisposable
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public double LossTemperature { get; }
    public double MaskTemperature { get; }

    /// <summary>1-based epoch of the last refresh (0 = never).</summary>
    public int Epoch { get; private set; }

    public IReadOnlyCollection<string> SceneIds => entries.Keys;

    public SceneSegmentStatistics(double lossTemperature = -SegmentWeights.LossScale, double maskTemperature = SegmentWeights.MaskScale)
    {
        (LossTemperature, MaskTemperature) = (lossTemperature, maskTemperature);
    }

    /// <summary>
    /// Recomputes every labelled, segmented scene from <paramref name="predict"/> ([1, N, 6, H, W] → [1, 3, H, W],
    /// e.g. <see cref="TrainingRecipe.Predict"/>: eval mode, whole images) and stamps them with <paramref name="epoch"/>.
    /// </summary>
    public void Refresh(ITrainingScenes scenes, NetworkInputSpec spec, Device device, Func<Tensor, Tensor> predict, int epoch)
    {
        foreach (var scene in scenes.All())
        {
            if (scene.GroundTruth is null || scene.Segments is null) continue;
            using var scope = NewDisposeScope();
            var input = NetworkInput.Build(scene.ToBracket(), spec).to(device);
            var prediction = predict(input).cpu();
            var truth = scene.GroundTruth.ToTensor().unsqueeze(0);
            using var psnr = SegmentReconstructionStats.PsnrMu(prediction, truth, SegmentTensor(scene.Segments), scene.Segments.Labels.Max() + 1);
            Store(scene.Id, psnr.PsnrMu[0], psnr.Counts[0]);
        }
        Epoch = epoch;
    }

    /// <summary>A scene's segment ids as the loader cuts them: [1, H, W] int64.</summary>
    public static Tensor SegmentTensor(LabelImage labels) =>
        torch.tensor(labels.Labels.Select(l => (long)l).ToArray(), new long[] { 1, labels.Height, labels.Width }, ScalarType.Int64);

    /// <summary>Sets one scene's statistics: PSNR-μ [S] and pixel counts [S] (copied).</summary>
    public void Store(string sceneId, Tensor psnrMu, Tensor counts)
    {
        if (entries.Remove(sceneId, out var old)) old.Dispose();
        entries[sceneId] = Entry.Create(psnrMu, counts, LossTemperature, MaskTemperature);
    }

    /// <summary>Per-segment loss weights [B, S] of the batch's scenes (S covers every id of the batch and its scenes).</summary>
    public Tensor LossWeights(TrainingBatch batch) => PerSample(batch, e => e.LossWeights);

    /// <summary>Per-segment masking ratios [B, S] at global ratio <paramref name="ratio"/>.</summary>
    public Tensor MaskRatios(TrainingBatch batch, double ratio)
    {
        using var scope = NewDisposeScope();
        using var r = ratio.ToScalar();
        return (PerSample(batch, e => e.MaskWeights) * r).MoveToOuterDisposeScope();
    }

    /// <summary>The batch's per-pixel segment loss weights [B, 1, P, P].</summary>
    public Tensor PatchWeights(TrainingBatch batch)
    {
        var segments = RequireSegments(batch);
        using var scope = NewDisposeScope();
        return SegmentWeights.ToPixelWeights(segments, LossWeights(batch).to(segments.device)).MoveToOuterDisposeScope();
    }

    private Tensor PerSample(TrainingBatch batch, Func<Entry, Tensor> pick)
    {
        var segments = RequireSegments(batch);
        using var scope = NewDisposeScope();
        long width = segments.max().item<long>() + 1;
        foreach (var id in batch.SceneIds)
            if (entries.TryGetValue(id, out var e)) width = Math.Max(width, e.LossWeights.shape[0]);
        var rows = batch.SceneIds.Select(id =>
        {
            if (!entries.TryGetValue(id, out var e)) return ones(width, ScalarType.Float32);
            var row = pick(e);
            // Ids beyond a scene's own count never occur in its patches; 0 keeps the rows rectangular.
            return nn.functional.pad(row, [0, width - row.shape[0]]);
        }).ToArray();
        return stack(rows).to(segments.device).MoveToOuterDisposeScope();
    }

    public static Tensor RequireSegments(TrainingBatch batch) => batch.Segments
        ?? throw new InvalidOperationException("per-segment weights and masks need segment maps for every training scene (simulate data, or kalantari folders with segments)");

    /// <summary>"epoch" and per scene "psnr_mu.{id}" / "counts.{id}" (copies): weights are recomputed from them on load.</summary>
    public IReadOnlyDictionary<string, Tensor> SaveState(string prefix = "")
    {
        var state = new Dictionary<string, Tensor> { [$"{prefix}epoch"] = torch.tensor(new long[] { Epoch }) };
        foreach (var (id, e) in entries)
        {
            state[$"{prefix}psnr_mu.{id}"] = e.PsnrMu.clone();
            state[$"{prefix}counts.{id}"] = e.Counts.clone();
        }
        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state, string prefix = "")
    {
        if (!state.TryGetValue($"{prefix}epoch", out var epoch)) throw new InvalidDataException($"segment statistics state lacks {prefix}epoch");
        Clear();
        Epoch = (int)epoch.item<long>();
        var psnrPrefix = $"{prefix}psnr_mu.";
        foreach (var (key, psnr) in state)
        {
            if (!key.StartsWith(psnrPrefix, StringComparison.Ordinal)) continue;
            var id = key[psnrPrefix.Length..];
            if (!state.TryGetValue($"{prefix}counts.{id}", out var counts)) throw new InvalidDataException($"segment statistics state has PSNR-μ but no counts for scene {id}");
            Store(id, psnr, counts);
        }
    }

    public void Clear()
    {
        foreach (var e in entries.Values) e.Dispose();
        entries.Clear();
        Epoch = 0;
    }

    public void Dispose() => Clear();

    /// <summary>PSNR-μ [S] float64, counts [S] int64, loss and mask weights [S] float32.</summary>
    private sealed record Entry(Tensor PsnrMu, Tensor Counts, Tensor LossWeights, Tensor MaskWeights) : IDisposable
    {
        public static Entry Create(Tensor psnr, Tensor counts, double lossTemperature, double maskTemperature)
        {
            using var scope = NewDisposeScope();
            var p = psnr.to(ScalarType.Float64).detach().clone().unsqueeze(0);
            var c = counts.to(ScalarType.Int64).detach().clone().unsqueeze(0);
            var loss = SegmentWeights.SoftmaxOverSegments(p, c, -lossTemperature)[0];
            var mask = SegmentWeights.SoftmaxOverSegments(p, c, maskTemperature)[0];
            return new Entry(p[0].DetachFromDisposeScope(), c[0].DetachFromDisposeScope(), loss.DetachFromDisposeScope(), mask.DetachFromDisposeScope());
        }

        public void Dispose()
        {
            PsnrMu.Dispose(); Counts.Dispose(); LossWeights.Dispose(); MaskWeights.Dispose();
        }
    }
}
