using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>
/// SAFNet's second stage: predicts a residual that corrects the explicit merge where alignment or selection
/// failed; the result is clamped to [0, 1], the range the references train in.
/// </summary>
public abstract class SafNetRefiner(string name) : nn.Module<SafNetRefineInput, SafNetRefinement>(name)
{
    /// <summary>Channels of the "fused" and "body" features.</summary>
    public abstract int FusedChannels { get; }

    public abstract int BodyChannels { get; }

    /// <summary>
    /// Starts the residual head at zero, so a freshly built network outputs the explicit merge. The residual is
    /// added in linear radiance, where the μ-law loss magnifies any offset in the shadows ~5000×: a randomly
    /// initialised head adds noise there that takes thousands of steps to unlearn (measured in docs/models.md).
    /// Loaded weights overwrite it.
    /// </summary>
    protected static void ZeroResidual(TorchSharp.Modules.Conv2d head)
    {
        using var _ = torch.no_grad();
        head.weight!.zero_();
        head.bias?.zero_();
    }

    protected static Tensor Finish(Tensor merged, Tensor residual) => torch.clamp(merged + residual, Scalars.Of(0.0), Scalars.Of(1.0));
}
