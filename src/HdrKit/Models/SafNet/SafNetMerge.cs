using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>
/// SAFNet's explicit, selectively adaptive merge. Kalantari's triangle weights are computed on the reference
/// LDR: where the reference is bright the short exposure's weight rises, where it is dark the long exposure's;
/// the selection masks then decide how much of that weight the aligned non-reference exposure actually gets and
/// how much stays on the reference (where alignment cannot be trusted, the mask keeps the reference).
/// Operation order follows the reference so results agree to float rounding.
/// </summary>
public static class SafNetMerge
{
    private const double Epsilon = 1e-9;

    /// <param name="ldr">The LDR halves (reference-aligned) of exposures 0, 1, 2: [B, 3, H, W] each.</param>
    /// <param name="linear">The linear halves, in the same order.</param>
    /// <param name="mask0">Selection of exposure 0, [B, 1, H, W] in [0, 1].</param>
    /// <param name="mask2">Selection of exposure 2.</param>
    public static Tensor Apply(IReadOnlyList<Tensor> ldr, IReadOnlyList<Tensor> linear, Tensor mask0, Tensor mask2)
    {
        using var scope = NewDisposeScope();
        var reference = ldr[1];
        var low = Kept.Result(() => (reference - Scalars.Of(0.5)).clamp_min(Scalars.Of(0.0)) / Scalars.Of(0.5));          // over-exposed reference → short exposure
        var mid = Kept.Result(() => where(reference < Scalars.Of(0.5), reference, Scalars.Of(1.0) - reference) / Scalars.Of(0.5));
        var high = Kept.Result(() => (Scalars.Of(0.5) - reference).clamp_min(Scalars.Of(0.0)) / Scalars.Of(0.5));         // under-exposed reference → long exposure

        Tensor[] weights = [Kept.Result(() => low * mask0), Kept.Result(() => mid + low * (Scalars.Of(1.0) - mask0) + high * (Scalars.Of(1.0) - mask2)), Kept.Result(() => high * mask2)];
        foreach (var t in new[] { low, mid, high }) t.Dispose();
        var sumImage = zeros_like(reference);
        var sumWeight = zeros_like(reference);
        for (int i = 0; i < 3; i++)
        {
            // Each step's sums replace the last ones at once: full-size temporaries are what bounds a tile's memory.
            var (image, weight) = (sumImage, sumWeight);
            sumWeight = weight + weights[i];
            sumImage = Kept.Result(() => image + weights[i] * linear[i]);
            foreach (var t in new[] { weight, image, weights[i] }) t.Dispose();
        }
        return (sumImage / (sumWeight + Scalars.Of(Epsilon))).MoveToOuterDisposeScope();
    }
}
