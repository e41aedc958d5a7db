using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>
/// What SAFNet's decoder estimates per level: the flows aligning the short (0) and long (2) exposures to the
/// reference, in pixels of that level, and the selection masks' logits (where the merge may trust the
/// aligned non-reference exposure instead of the reference).
/// </summary>
public sealed record SafNetFlowState(Tensor Flow0, Tensor Flow2, Tensor Mask0, Tensor Mask2);
