namespace HdrKit.Training;

/// <summary>
/// Learning-rate multiplier as a function of training position, applied to each optimiser's base rate (so a
/// recipe's optimisers with different base rates follow one curve). Pure functions of the position: a
/// resumed run gets the same rate as the uninterrupted one without storing scheduler state.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <param name="epoch">Fractional epoch: completed epochs + batch index / batches per epoch.</param>
    /// <param name="step">Optimiser steps completed before this one.</param>
    public abstract double Factor(double epoch, long step);

    public static LearningRateSchedule Create(ScheduleConfig config, double baseLr, int epochs)
    {
        if (config.MinLr < 0 || config.MinLr > baseLr)
            throw new ArgumentException($"schedule.min_lr must lie in [0, optimizer.lr = {baseLr}], got {config.MinLr}");
        if (config.WarmupSteps < 0) throw new ArgumentException($"schedule.warmup_steps must be ≥ 0, got {config.WarmupSteps}");
        double minFactor = config.MinLr / baseLr;
        LearningRateSchedule inner = config.Kind.ToLowerInvariant() switch
        {
            "constant" => new Constant(),
            "step" => config.EveryEpochs >= 1 && config.Gamma > 0 && config.Gamma <= 1
                ? new Step(config.EveryEpochs, config.Gamma)
                : throw new ArgumentException($"schedule step needs every_epochs ≥ 1 and gamma in (0, 1], got {config.EveryEpochs} and {config.Gamma}"),
            "cosine" => new Cosine([0, epochs], minFactor),
            "cosine_restarts" => new Cosine(RestartBounds(config.Restarts, epochs), minFactor),
            _ => throw new ArgumentException($"unknown schedule '{config.Kind}'; use constant, step, cosine or cosine_restarts"),
        };
        return config.WarmupSteps > 0 ? new Warmup(inner, config.WarmupSteps) : inner;
    }

    private static int[] RestartBounds(int[] restarts, int epochs)
    {
        if (restarts.Length == 0) throw new ArgumentException("schedule cosine_restarts needs restarts: [epoch, …]");
        var bounds = new[] { 0 }.Concat(restarts).Append(epochs).ToArray();
        for (int i = 1; i < bounds.Length; i++)
            if (bounds[i] <= bounds[i - 1])
                throw new ArgumentException($"schedule.restarts must increase strictly inside (0, epochs = {epochs}), got [{string.Join(", ", restarts)}]");
        return bounds;
    }

    private sealed class Constant : LearningRateSchedule
    {
        public override double Factor(double epoch, long step) => 1.0;
    }

    private sealed class Step(int every, double gamma) : LearningRateSchedule
    {
        public override double Factor(double epoch, long step) => Math.Pow(gamma, Math.Floor(Math.Floor(epoch) / every));
    }

    /// <summary>Half-cosine from 1 down to minFactor inside each [bounds[i], bounds[i+1]) epoch span.</summary>
    private sealed class Cosine(int[] bounds, double minFactor) : LearningRateSchedule
    {
        public override double Factor(double epoch, long step)
        {
            int seg = 0;
            while (seg < bounds.Length - 2 && epoch >= bounds[seg + 1]) seg++;
            double t = Math.Clamp((epoch - bounds[seg]) / (bounds[seg + 1] - bounds[seg]), 0, 1);
            return minFactor + (1 - minFactor) * 0.5 * (1 + Math.Cos(Math.PI * t));
        }
    }

    /// <summary>Linear ramp over the first steps, so Adam's early, poorly estimated moments take small steps.</summary>
    private sealed class Warmup(LearningRateSchedule inner, int steps) : LearningRateSchedule
    {
        public override double Factor(double epoch, long step) =>
            inner.Factor(epoch, step) * (step < steps ? (step + 1) / (double)steps : 1.0);
    }
}
