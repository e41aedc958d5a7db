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
        // In place wherever a map has no other reader: on a whole image each of these is a full-size three-channel map,
        // and a merge's heap peaks here. The same operations in the same order as the out-of-place formulas.
        using var scope = NewDisposeScope();
        var reference = ldr[1];
        var low = InPlace.Div(InPlace.ClampMin(reference - Scalars.Of(0.5), Scalars.Of(0.0)), Scalars.Of(0.5));            // over-exposed reference → short exposure
        var mid = Kept.Result(() => InPlace.Div(where(reference < Scalars.Of(0.5), reference, Scalars.Of(1.0) - reference), Scalars.Of(0.5)));
        var high = InPlace.Div(InPlace.ClampMin(Scalars.Of(0.5) - reference, Scalars.Of(0.0)), Scalars.Of(0.5));            // under-exposed reference → long exposure

        // weights: low · mask0, mid + low · (1 − mask0) + high · (1 − mask2), high · mask2
        mid = AddUnselected(mid, low, mask0);
        mid = AddUnselected(mid, high, mask2);
        var (weight0, weight1, weight2) = (InPlace.Mul(low, mask0), mid, InPlace.Mul(high, mask2));
        // Σ weight · linear over the three exposures and Σ weight, then their ratio; each weight's buffer is reused once
        // both sums have read it, so the merge holds four full-size maps, not six.
        var sumImage = weight0 * linear[0];
        var sumWeight = InPlace.Add(InPlace.Add(weight0, weight1), weight2);
        sumImage = InPlace.Add(InPlace.Add(sumImage, InPlace.Mul(weight1, linear[1])), InPlace.Mul(weight2, linear[2]));
        return InPlace.Div(sumImage, InPlace.Add(sumWeight, Scalars.Of(Epsilon))).MoveToOuterDisposeScope();
    }

    // sum += weight · (1 − mask): the part of an exposure's weight its selection leaves on the reference. The sum stays
    // in its caller's scope: only the term is made (and released) here.
    private static Tensor AddUnselected(Tensor sum, Tensor weight, Tensor mask)
    {
        using var unselected = Kept.Result(() => weight * (Scalars.Of(1.0) - mask));
        return InPlace.Add(sum, unselected);
    }
}
