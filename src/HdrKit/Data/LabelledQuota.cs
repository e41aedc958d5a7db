namespace HdrKit.Data;

/// <summary>
/// A fixed number of labelled rows per batch: rows 0..k−1 draw a scene uniformly from the labelled scenes, the
/// other rows from the unlabelled ones. With a few percent of labels, uniform sampling over all scenes leaves
/// most small batches without a labelled row (0.93⁴ ≈ 75 % of 4-row batches at 6.7 %), so the supervised term
/// would be missing from most steps; the quota keeps it in every step, as drawing the two sets separately does.
/// The row's scene comes from the row's own generator, so batches stay a pure function of (seed, batch index).
/// </summary>
public sealed class LabelledQuota
{
    private readonly ITrainingScenes _scenes;
    private readonly int[] _labelled, _unlabelled;

    /// <summary>Labelled rows per batch.</summary>
    public int PerBatch { get; }

    public LabelledQuota(ITrainingScenes scenes, int perBatch, int batchSize)
    {
        if (perBatch < 0 || perBatch > batchSize)
            throw new ArgumentException($"labelled rows per batch must lie in [0, batch size {batchSize}], got {perBatch}");
        _scenes = scenes;
        var flags = Enumerable.Range(0, scenes.Count).Select(scenes.IsLabelled).ToArray();
        _labelled = Enumerable.Range(0, flags.Length).Where(i => flags[i]).ToArray();
        _unlabelled = Enumerable.Range(0, flags.Length).Where(i => !flags[i]).ToArray();
        if (perBatch > 0 && _labelled.Length == 0)
            throw new ArgumentException($"{perBatch} labelled rows per batch asked, but no training scene keeps its ground truth");
        if (perBatch < batchSize && _unlabelled.Length == 0)
            throw new ArgumentException($"{batchSize - perBatch} unlabelled rows per batch asked ({perBatch} labelled of {batchSize}), but every training scene is labelled");
        PerBatch = perBatch;
    }

    /// <summary>The quota <see cref="LoaderOptions.LabelledPerBatch"/> asks of <paramref name="source"/>; null when it asks none.</summary>
    public static LabelledQuota? For(ISceneSource source, LoaderOptions options) => options.LabelledPerBatch is not { } k ? null
        : new LabelledQuota(source as ITrainingScenes ?? throw new ArgumentException("a labelled quota per batch needs a finite scene set, not an endless source"),
            k, options.BatchSize);

    /// <summary>The scene of batch row <paramref name="row"/>, drawn with that row's generator.</summary>
    public TrainingScene SceneFor(int row, Random rng)
    {
        var pool = row < PerBatch ? _labelled : _unlabelled;
        return _scenes.Scene(pool[rng.Next(pool.Length)]);
    }
}
