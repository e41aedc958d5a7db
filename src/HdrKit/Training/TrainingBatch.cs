using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// One optimiser step's data, on the training device, owned by the step's dispose scope.
/// Input [B, N, 6, H, W] in the model's channel order; Target [B, 3, H, W] linear HDR.
/// PixelWeight [B, 1, H, W] (validity / pseudo-label masks); Segments [B, 1, H, W] int64 segment ids for
/// segment-weighted losses and semantic masking; SceneIds let recipes look up per-scene state (e.g. SMHDR's
/// per-segment weights); Extras carries method-specific tensors (e.g. "unlabelled_input", "prior").
/// </summary>
public sealed record TrainingBatch(
    Tensor Input,
    Tensor Target,
    Tensor? PixelWeight = null,
    Tensor? Segments = null,
    IReadOnlyList<string>? SceneIds = null,
    IReadOnlyDictionary<string, Tensor>? Extras = null)
{
    public long Size => Input.shape[0];
}
