using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Training-time hook that masks a block's normalised features before window attention (SMHDR's
/// semantic-guided masking, reference-notes §4). The trainer sets the per-sample masks for the current
/// batch on its implementation, then runs the forward pass. Blocks call it only in training mode, so
/// evaluation is never masked, whatever is installed.
/// </summary>
public interface IFeatureMasker
{
    /// <summary>
    /// Returns the masked features. <paramref name="features"/> is [B, C, H, W] (after the block's first
    /// LayerNorm); <paramref name="group"/> is the index of the transformer group whose first block is calling.
    /// </summary>
    Tensor Mask(Tensor features, int group);
}
