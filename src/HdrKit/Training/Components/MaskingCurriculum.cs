namespace HdrKit.Training.Components;

/// <summary>Where a run is in SMHDR's masking curriculum.</summary>
public enum CurriculumPhase
{
    /// <summary>No masking (the paper's epochs 1–300).</summary>
    Unmasked,
    /// <summary>The ratio rises linearly to its peak (301–350).</summary>
    Rising,
    /// <summary>The ratio falls linearly back to 0 (351–400), narrowing the train/test gap.</summary>
    Falling,
    /// <summary>After the schedule's last epoch: ratio 0.</summary>
    Done,
}

/// <summary>
/// SMHDR's curriculum on the global masking ratio r by 1-based epoch e (reference-notes §4): r = 0 for
/// e ≤ <see cref="UnmaskedEnd"/>, rising linearly to <see cref="PeakRatio"/> at <see cref="PeakEpoch"/>, falling
/// linearly to 0 at <see cref="End"/>. Also says when per-segment PSNR-μ statistics are recomputed (every
/// <see cref="StatisticsInterval"/> epochs while unmasked, every epoch while masking) and where the cosine
/// learning-rate schedule restarts. A pure function of the epoch: a resumed run continues the same schedule.
/// </summary>
public sealed record MaskingCurriculum
{
    public const double PaperPeakRatio = 0.9;
    private const int PaperEnd = 400, PaperUnmaskedEnd = 300, PaperPeakEpoch = 350, PaperStatisticsInterval = 5;

    public int UnmaskedEnd { get; }
    public int PeakEpoch { get; }
    public int End { get; }
    public double PeakRatio { get; }
    public int StatisticsInterval { get; }

    public MaskingCurriculum(int unmaskedEnd, int peakEpoch, int end, double peakRatio = PaperPeakRatio, int statisticsInterval = PaperStatisticsInterval)
    {
        if (!(unmaskedEnd >= 0 && peakEpoch > unmaskedEnd && end > peakEpoch))
            throw new ArgumentException($"curriculum epochs must satisfy 0 ≤ unmasked end < peak < end, got {unmaskedEnd}, {peakEpoch}, {end}");
        if (!(peakRatio >= 0)) throw new ArgumentException($"peak ratio must be ≥ 0, got {peakRatio}");
        if (statisticsInterval < 1) throw new ArgumentException($"statistics interval must be ≥ 1, got {statisticsInterval}");
        (UnmaskedEnd, PeakEpoch, End, PeakRatio, StatisticsInterval) = (unmaskedEnd, peakEpoch, end, peakRatio, statisticsInterval);
    }

    /// <summary>The paper's schedule: 300 / 350 / 400 epochs, peak 0.9, statistics every 5 epochs.</summary>
    public static MaskingCurriculum Paper { get; } = new(PaperUnmaskedEnd, PaperPeakEpoch, PaperEnd);

    /// <summary>The paper's proportions (75 % / 12.5 % / 12.5 %) scaled to <paramref name="epochs"/>, the statistics interval with them.</summary>
    public static MaskingCurriculum Scaled(int epochs, double peakRatio = PaperPeakRatio)
    {
        if (epochs < 3) throw new ArgumentException($"a curriculum needs at least 3 epochs, got {epochs}");
        int unmasked = Math.Clamp((int)Math.Round(epochs * (double)PaperUnmaskedEnd / PaperEnd), 0, epochs - 2);
        int peak = Math.Clamp((int)Math.Round(epochs * (double)PaperPeakEpoch / PaperEnd), unmasked + 1, epochs - 1);
        int interval = Math.Max(1, (int)Math.Round(PaperStatisticsInterval * (double)epochs / PaperEnd));
        return new MaskingCurriculum(unmasked, peak, epochs, peakRatio, interval);
    }

    public CurriculumPhase Phase(int epoch) =>
        epoch <= UnmaskedEnd ? CurriculumPhase.Unmasked
        : epoch <= PeakEpoch ? CurriculumPhase.Rising
        : epoch <= End ? CurriculumPhase.Falling
        : CurriculumPhase.Done;

    /// <summary>Global masking ratio r for 1-based <paramref name="epoch"/>.</summary>
    public double Ratio(int epoch) => Phase(epoch) switch
    {
        CurriculumPhase.Rising => PeakRatio * (epoch - UnmaskedEnd) / (PeakEpoch - UnmaskedEnd),
        CurriculumPhase.Falling => PeakRatio * (End - epoch) / (End - PeakEpoch),
        _ => 0,
    };

    /// <summary>
    /// Whether per-segment statistics are recomputed before <paramref name="epoch"/> (from the model as it
    /// stands after epoch − 1). Epoch 1 has no predictions yet: uniform weights and ratios.
    /// </summary>
    public bool RefreshesStatistics(int epoch) =>
        epoch > 1 && (epoch > UnmaskedEnd || (epoch - 1) % StatisticsInterval == 0);

    /// <summary>First epoch of the restarted cosine learning-rate schedule: where masking starts.</summary>
    public int LearningRateRestartEpoch => UnmaskedEnd + 1;
}
