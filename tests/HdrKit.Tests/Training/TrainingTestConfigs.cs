using HdrKit.Training;

namespace HdrKit.Tests.Training;

/// <summary>Small CPU configs on <see cref="TinyHdrNet"/> and synthetic 32×32 patches.</summary>
internal static class TrainingTestConfigs
{
    public static TrainingConfig Tiny(int epochs = 2, int batchesPerEpoch = 3, double dropout = 0.0, long seed = 7)
    {
        TinyHdrNet.Register();
        return new TrainingConfig
        {
            Model = new ModelConfig { Name = TinyHdrNet.RegistryName, Width = 8, Extra = new() { ["dropout"] = dropout.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            Data = new DataConfig { Kind = "synthetic", PatchSize = 32, BatchSize = 2, BatchesPerEpoch = batchesPerEpoch, ValidationScenes = 1, ValidationSize = 30, MaxMotion = 2 },
            Optimizer = new OptimizerConfig { Lr = 2e-3 },
            Schedule = new ScheduleConfig { Kind = "cosine", MinLr = 2e-4, WarmupSteps = 2 },
            Epochs = epochs,
            Seed = seed,
            Device = "cpu",
        };
    }
}

/// <summary>IProgress that runs its callback synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
