using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// What every loss term sees: a prediction and its target as linear HDR [B, 3, H, W] (the networks' sigmoid
/// range), and an optional non-negative per-pixel weight [B, 1, H, W] or [B, 3, H, W] — a binary mask
/// (pseudo-label masking), per-segment weights spread over pixels (<see cref="SegmentWeights"/>), or both
/// multiplied. Terms decide themselves which domain (linear, μ-law) they compare in.
/// </summary>
public sealed record LossInputs(Tensor Prediction, Tensor Target, Tensor? PixelWeight = null);
