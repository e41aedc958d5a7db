namespace HdrKit.Weights;

/// <summary>How <see cref="StateDictLoader"/> matches a checkpoint's keys against a module's state.</summary>
public sealed record StateDictOptions
{
    /// <summary>
    /// When true (the default), keys missing from the checkpoint or present only in it are an error.
    /// Shape mismatches are always an error, as in PyTorch: loading a wrong-shaped tensor is never what was meant.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>Checkpoint and module keys starting with any of these are ignored on both sides (e.g. an auxiliary head).</summary>
    public IReadOnlyList<string> IgnorePrefixes { get; init; } = [];

    /// <summary>Strips the "module." prefix nn.DataParallel / DistributedDataParallel add when every checkpoint key has it.</summary>
    public bool StripDataParallelPrefix { get; init; } = true;

    public static StateDictOptions Default { get; } = new();
}
