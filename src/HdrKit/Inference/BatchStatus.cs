namespace HdrKit.Inference;

/// <summary>What happened to one bracket of a batch.</summary>
public enum BatchStatus { Merged, Skipped, Failed }
