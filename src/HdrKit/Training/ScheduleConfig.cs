namespace HdrKit.Training;

/// <summary>
/// The `schedule:` section, the learning-rate curve over training:
/// constant; step (×gamma every `every_epochs`, HDR-Transformer's halving every 100); cosine (lr → min_lr over
/// the run); cosine_restarts (a fresh cosine from lr to min_lr starting at each epoch in `restarts`, SMHDR's
/// restart at 300). Any of them may start with `warmup_steps` of linear warm-up.
/// </summary>
public sealed class ScheduleConfig
{
    public string Kind { get; set; } = "constant";
    public int EveryEpochs { get; set; } = 100;
    public double Gamma { get; set; } = 0.5;
    public double MinLr { get; set; }
    public int[] Restarts { get; set; } = Array.Empty<int>();
    public int WarmupSteps { get; set; }
}
