using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// A clipped reference pixel is a measurement too: the scene there is at least as bright as the reference's white.
/// Where a network took an exposure it could not align under a white reference (the floor behind a white mover,
/// set 2's scene 21), its output falls below that, a grey or dark patch the reference proves wrong. The floor lifts
/// each such channel to the reference's own linear value; it never lowers anything, and where the reference is not
/// clipped it does nothing.
/// </summary>
public static class ClippedReferenceFloor
{
    /// <summary>Reference code at or above which a channel counts as clipped (253 of 255 in 8 bits).</summary>
    public const double ClippedCode = 0.99;

    /// <param name="output">Linear HDR, [B, 3, H, W].</param>
    /// <param name="referenceLdr">The reference's codes in [0, 1], same shape.</param>
    /// <param name="referenceLinear">The reference's linear values (the network's input scale), same shape.</param>
    public static Tensor Apply(Tensor output, Tensor referenceLdr, Tensor referenceLinear)
    {
        using var scope = NewDisposeScope();
        return where(referenceLdr >= Scalars.Of(ClippedCode), maximum(output, referenceLinear), output).MoveToOuterDisposeScope();
    }
}
