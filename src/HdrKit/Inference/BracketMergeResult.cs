using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Inference;

/// <summary>What <see cref="BracketMerger"/> produced.</summary>
/// <param name="Bracket">The frames that were merged: the input, or the subset a network takes.</param>
/// <param name="Radiance">Relative to the reference exposure, as <see cref="NetworkMerger"/> and the classical merge return it.</param>
/// <param name="GhostMask">Classical merge: the rejected (moving) content; null for networks.</param>
/// <param name="Method">Human-readable description of the method used.</param>
/// <param name="Notes">Why frames were dropped or the method changed, for the caller to show.</param>
/// <param name="UsedNetwork">Whether a network (not the classical merge) produced the result.</param>
public sealed record BracketMergeResult(Bracket Bracket, FloatImage Radiance, FloatImage? GhostMask, string Method, IReadOnlyList<string> Notes, bool UsedNetwork);
