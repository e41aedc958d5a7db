using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// L1 on linear values under the pixel weight. Used where a method compares linear radiance (PSNR-L style
/// objectives, merged-HDR supervision) rather than tonemapped values.
/// </summary>
public sealed class MaskedL1Loss : ILossTerm
{
    public string Name => "linear_l1";

    public Tensor Compute(LossInputs inputs) => WeightedL1.Mean(inputs.Prediction, inputs.Target, inputs.PixelWeight);

    public void Dispose() { }
}
