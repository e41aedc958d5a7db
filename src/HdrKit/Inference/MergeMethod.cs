namespace HdrKit.Inference;

/// <summary>How <see cref="BracketMerger"/> merges a bracket.</summary>
public enum MergeMethod
{
    /// <summary>The given network, else the shipped default model, for brackets it takes; otherwise the classical merge.</summary>
    Auto,
    /// <summary>Always the classical deghosting merge.</summary>
    Classical,
    /// <summary>The given network or the default model; a bracket it cannot take is an error, not a fallback.</summary>
    Network,
}
