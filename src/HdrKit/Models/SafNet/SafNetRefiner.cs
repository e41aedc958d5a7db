using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>
/// SAFNet's second stage: predicts a residual that corrects the explicit merge where alignment or selection
/// failed; the result is clamped to [0, 1], the range the references train in.
/// </summary>
public abstract class SafNetRefiner(string name) : nn.Module<SafNetRefineInput, SafNetRefinement>(name)
{
    /// <summary>Channels of the "fused" and "body" features.</summary>
    public abstract int FusedChannels { get; }

    public abstract int BodyChannels { get; }

    protected static Tensor Finish(Tensor merged, Tensor residual) => torch.clamp(merged + residual, 0.0, 1.0);
}
