using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>
/// What the refinement stage sees, all at full resolution: the three 6-channel exposures, the flows (pixels)
/// and selection masks (after the sigmoid), and the explicitly merged HDR it refines.
/// </summary>
public sealed record SafNetRefineInput(Tensor Image0, Tensor Image1, Tensor Image2, SafNetFlowState Alignment, Tensor Merged)
{
    /// <summary>The reference divides flows by 20 before feeding them to a conv, to bring pixels to unit scale.</summary>
    public const double FlowScale = 20.0;
}
