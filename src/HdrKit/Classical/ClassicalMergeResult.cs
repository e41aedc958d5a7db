using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>
/// The classical merge's output. <see cref="Radiance"/> is relative to the reference exposure: E·t_ref, so a
/// well-exposed reference pixel reads f⁻¹(z_ref) (with the γ model, z^2.2 ∈ [0,1]) and brighter content goes
/// above 1 — the same scale as the networks' output with the "absolute" exposure origin. Multiply by
/// 1/t_ref for radiance per second.
/// </summary>
/// <param name="GhostMask">One channel in [0,1]: how strongly some non-reference frame was rejected (all 0 without deghosting).</param>
/// <param name="Shifts">Translation applied to each frame (all zero without alignment).</param>
/// <param name="Response">The inverse camera response that was used.</param>
public sealed record ClassicalMergeResult(FloatImage Radiance, FloatImage GhostMask, IReadOnlyList<(int Dx, int Dy)> Shifts, CameraResponse Response);
