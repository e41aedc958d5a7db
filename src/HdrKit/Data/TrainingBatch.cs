using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Data;

/// <summary>
/// One optimiser step's data, the one batch type of loaders, sources and recipes. Tensors are owned by the batch:
/// dispose it, or create it inside the step's dispose scope. A batch may mix labelled and unlabelled samples:
/// <see cref="Labelled"/> says which rows of <see cref="Target"/> hold ground truth (the others are zeros), and
/// Target is null when none does. <see cref="Samples"/> records each row's scene, crop box, augmentation and stops,
/// so per-scene state maps onto the patch with <see cref="Gather"/>.
/// </summary>
public sealed record TrainingBatch : IDisposable
{
    /// <summary>[B, N, 6, H, W], exposures short → long, channels in the network's <see cref="Models.InputOrder"/>.</summary>
    public required Tensor Inputs { get; init; }
    /// <summary>[B, 3, H, W] linear radiance of the reference frame in the shortest exposure's unit; null when no sample is labelled.</summary>
    public Tensor? Target { get; init; }
    /// <summary>One flag per sample: true where its row of <see cref="Target"/> is ground truth.</summary>
    public required IReadOnlyList<bool> Labelled { get; init; }
    /// <summary>[B, 1, H, W] float per-pixel loss weight (validity, pseudo-label or segment masks); null = all ones.</summary>
    public Tensor? PixelWeight { get; init; }
    /// <summary>[B, 1, H, W] int64 segment ids, when every sample's scene has them.</summary>
    public Tensor? Segments { get; init; }
    /// <summary>[B, 1, H, W] float, 1 where the geometry differs from the reference, when every sample's scene has one.</summary>
    public Tensor? MotionMask { get; init; }
    /// <summary>Per sample: scene id, crop box, augmentation and exposure stops.</summary>
    public required IReadOnlyList<PatchPlacement> Samples { get; init; }
    /// <summary>Index of this batch in its loader's stream.</summary>
    public long Index { get; init; }

    public long Size => Inputs.shape[0];
    public IEnumerable<string> SceneIds => Samples.Select(s => s.SceneId);
    public bool AllLabelled => Labelled.All(l => l);
    public bool AnyLabelled => Labelled.Any(l => l);

    /// <summary>
    /// Per-scene state cut to this batch: <paramref name="sceneState"/> gives a full-scene tensor [..., H, W] for a
    /// scene id; the result stacks each sample's patch of it ([B, ..., P, P]) through <see cref="PatchPlacement.Apply"/>.
    /// </summary>
    public Tensor Gather(Func<string, Tensor> sceneState, bool colour = false)
    {
        using var scope = torch.NewDisposeScope();
        return torch.stack(Samples.Select(s => s.Apply(sceneState(s.SceneId), colour))).to(Inputs.device).MoveToOuterDisposeScope();
    }

    /// <summary>The labelled rows only (the whole batch when all are labelled), or null when none is.</summary>
    public TrainingBatch? LabelledOnly()
    {
        if (AllLabelled) return this;
        if (!AnyLabelled) return null;
        var rows = Enumerable.Range(0, Labelled.Count).Where(i => Labelled[i]).Select(i => (long)i).ToArray();
        using var scope = torch.NewDisposeScope();
        var index = torch.tensor(rows, ScalarType.Int64, Inputs.device);
        Tensor? Pick(Tensor? t) => t?.index_select(0, index).MoveToOuterDisposeScope();
        return this with
        {
            Inputs = Pick(Inputs)!, Target = Pick(Target), PixelWeight = Pick(PixelWeight), Segments = Pick(Segments),
            MotionMask = Pick(MotionMask), Labelled = rows.Select(_ => true).ToArray(), Samples = rows.Select(i => Samples[(int)i]).ToArray(),
        };
    }

    /// <summary>The batch with its tensors on <paramref name="device"/> (the same batch when already there).</summary>
    public TrainingBatch To(Device device)
    {
        if (Inputs.device.type == device.type && Inputs.device.index == device.index) return this;
        return this with
        {
            Inputs = Inputs.to(device), Target = Target?.to(device), PixelWeight = PixelWeight?.to(device),
            Segments = Segments?.to(device), MotionMask = MotionMask?.to(device),
        };
    }

    public void Dispose()
    {
        Inputs.Dispose(); Target?.Dispose(); PixelWeight?.Dispose(); Segments?.Dispose(); MotionMask?.Dispose();
    }
}
