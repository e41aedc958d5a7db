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
        var low = (reference - 0.5).clamp_min(0.0) / 0.5;          // over-exposed reference → short exposure
        var mid = where(reference < 0.5, reference, 1.0 - reference) / 0.5;
        var high = (0.5 - reference).clamp_min(0.0) / 0.5;         // under-exposed reference → long exposure

        Tensor[] weights = [low * mask0, mid + low * (1.0 - mask0) + high * (1.0 - mask2), high * mask2];
        var sumImage = zeros_like(reference);
        var sumWeight = zeros_like(reference);
        for (int i = 0; i < 3; i++)
        {
            sumWeight = sumWeight + weights[i];
            sumImage = sumImage + weights[i] * linear[i];
        }
        return (sumImage / (sumWeight + Epsilon)).MoveToOuterDisposeScope();
    }
}
