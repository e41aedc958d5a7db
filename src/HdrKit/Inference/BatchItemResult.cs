namespace HdrKit.Inference;

/// <summary>One bracket of a batch: where it went and how, or why it failed.</summary>
/// <param name="Output">The HDR file written (or found complete, for <see cref="BatchStatus.Skipped"/>).</param>
/// <param name="Method">Merge method description; null unless merged.</param>
/// <param name="Error">Why the bracket failed; null otherwise.</param>
/// <param name="Notes">The merger's notes (frames dropped, method changed).</param>
/// <param name="Elapsed">Decoding plus merging and writing this bracket, without waiting for its turn.</param>
public sealed record BatchItemResult(BracketGroup Group, BatchStatus Status, string Output, string? Method, string? Error,
    IReadOnlyList<string> Notes, TimeSpan Elapsed, int Width = 0, int Height = 0);
