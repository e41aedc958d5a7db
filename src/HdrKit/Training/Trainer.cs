using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrKit.Metrics;
using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Runs a <see cref="TrainingRecipe"/> over epochs of batches: sets learning rates from the schedule, calls
/// epoch hooks, logs metrics.jsonl, validates, checkpoints, exports the inference network and renders
/// curves. Stops cleanly (checkpoint first) when the token is cancelled. Output folder layout:
/// config.json, metrics.jsonl, checkpoints/step-NNNNNNNN.{safetensors,json} + latest.json,
/// model.safetensors (inference weights), loss.png, validation.png.
/// </summary>
public sealed class Trainer : IDisposable
{
    public TrainingConfig Config { get; }
    public string OutputFolder { get; }
    public TrainingRecipe Recipe { get; }
    public ITrainingBatchSource Data { get; }
    public IValidationSource? Validation { get; }
    public Device Device { get; }
    public TrainingState State { get; private set; } = TrainingState.Start;

    private readonly LearningRateSchedule _schedule;
    private readonly bool _ownsData;

    public string CheckpointFolder => Path.Combine(OutputFolder, "checkpoints");
    public string MetricsPath => Path.Combine(OutputFolder, "metrics.jsonl");
    public string WeightsPath => Path.Combine(OutputFolder, "model.safetensors");

    /// <param name="data">Batch source; null builds the config's data section (tests inject their own).</param>
    public Trainer(TrainingConfig config, string outputFolder, ITrainingBatchSource? data = null, IValidationSource? validation = null)
    {
        config.Validate();
        Config = config;
        OutputFolder = Path.GetFullPath(outputFolder);
        Device = Devices.Resolve(config.Device);
        torch.manual_seed(config.Seed); // initial weights are part of the run's seed
        Recipe = RecipeRegistry.Create(config, Device);
        _ownsData = data is null;
        if (data is null)
        {
            var (configured, configuredValidation) = TrainingData.Create(config, Recipe.InferenceNetwork.InputSpec);
            data = configured;
            validation ??= configuredValidation; // a validation source passed in wins over the config's
        }
        Data = data;
        Validation = validation;
        Recipe.AttachData(data);
        _schedule = LearningRateSchedule.Create(config.Schedule, config.Optimizer.Lr, config.Epochs);
    }

    /// <summary>
    /// Continues from a checkpoint (sidecar, tensors file or checkpoint folder). The checkpoint's config is
    /// used unless <paramref name="config"/> is given, which may change run length and intervals but not the
    /// recipe, model, data, loss, optimiser, schedule or seed (those would make the resume a different run).
    /// </summary>
    public static Trainer Resume(string checkpoint, TrainingConfig? config = null, string? outputFolder = null,
        ITrainingBatchSource? data = null, IValidationSource? validation = null)
    {
        var info = Checkpoint.Read(checkpoint);
        if (config != null) RequireSameRun(info, config);
        var folder = outputFolder ?? Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(info.SidecarPath)))!;
        var trainer = new Trainer(config ?? info.Config, folder, data, validation);
        try
        {
            Checkpoint.Restore(info, trainer.Recipe);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        trainer.State = info.State;
        MetricsLog.TruncateAfter(trainer.MetricsPath, info.State.Step);
        return trainer;
    }

    public long TotalSteps => Math.Min((long)Config.Epochs * Data.BatchesPerEpoch, Config.MaxSteps ?? long.MaxValue);

    public TrainingResult Run(CancellationToken cancel = default, IProgress<TrainingProgress>? progress = null)
    {
        Directory.CreateDirectory(OutputFolder);
        AtomicText.Write(Path.Combine(OutputFolder, "config.json"), Config.ToJson());
        using var log = new MetricsLog(MetricsPath);
        var clock = Stopwatch.StartNew();
        double startElapsed = State.ElapsedSeconds;
        double Elapsed() => startElapsed + clock.Elapsed.TotalSeconds;
        var losses = new List<double>();
        int perEpoch = Data.BatchesPerEpoch;
        long total = TotalSteps;
        string? checkpoint = null;

        while (State.Epoch < Config.Epochs && State.Step < total)
        {
            if (cancel.IsCancellationRequested) return Finish(true, "interrupted");
            int epoch = State.Epoch, first = State.BatchInEpoch;
            var epochContext = new EpochContext(epoch, Config, Data, Validation, Device, OutputFolder);
            if (first == 0) Recipe.OnEpochBegin(epochContext);

            for (int i = first; i < perEpoch && State.Step < total; i++)
            {
                if (i > first && cancel.IsCancellationRequested) return Finish(true, "interrupted");
                StepOutcome outcome;
                using (var scope = torch.NewDisposeScope())
                {
                    double factor = _schedule.Factor(epoch + (double)i / perEpoch, State.Step);
                    foreach (var o in Recipe.Optimizers) o.SetLearningRate(o.BaseLearningRate * factor);
                    var batch = Data.GetBatch(epoch, i, Device);
                    outcome = Recipe.TrainStep(batch, new StepContext(epoch, i, State.Step));
                }
                if (!double.IsFinite(outcome.Loss))
                    throw new InvalidDataException($"the loss became {outcome.Loss} at step {State.Step + 1}; lower optimizer.lr or check the data");
                State = State with { Step = State.Step + 1, BatchInEpoch = i + 1, ElapsedSeconds = Elapsed() };
                losses.Add(outcome.Loss);
                double lr = Recipe.Optimizers[0].LearningRate;
                if (State.Step % Config.LogEvery == 0) log.Append(TrainRecord(outcome, lr));
                progress?.Report(new TrainingProgress(State.Step, total, epoch, Config.Epochs, outcome.Loss, lr, TimeSpan.FromSeconds(State.ElapsedSeconds)));
            }
            if (State.BatchInEpoch < perEpoch) break; // max_steps ended the run inside an epoch

            Recipe.OnEpochEnd(epochContext);
            State = State with { Epoch = epoch + 1, BatchInEpoch = 0 };
            bool last = State.Epoch == Config.Epochs || State.Step >= total;
            if (Validation != null && Config.ValidateEvery > 0 && (State.Epoch % Config.ValidateEvery == 0 || last))
                Validate(log, progress, total);
            if (State.Epoch % Config.CheckpointEvery == 0 || last)
            {
                checkpoint = Checkpoint.Save(CheckpointFolder, Recipe, Config, State, "epoch");
                Checkpoint.Prune(CheckpointFolder, Config.KeepCheckpoints);
            }
        }
        return Finish(false, "end");

        TrainingResult Finish(bool interrupted, string reason)
        {
            State = State with { ElapsedSeconds = Elapsed() };
            if (checkpoint == null || Checkpoint.Read(checkpoint).State.Step != State.Step)
                checkpoint = Checkpoint.Save(CheckpointFolder, Recipe, Config, State, reason);
            string? weights = null;
            if (!interrupted)
            {
                ExportWeights(WeightsPath);
                weights = WeightsPath;
            }
            TrainingPlots.Render(MetricsPath, OutputFolder);
            return new TrainingResult(State, interrupted, checkpoint, weights, losses);
        }
    }

    /// <summary>
    /// Mean PSNR-μ/L and SSIM-μ/L (HdrKit.Metrics) over the validation scenes, logged and returned. A recipe with
    /// <see cref="TrainingRecipe.ExportCandidates"/> has each candidate scored, chooses its export from them, and
    /// the record holds every candidate's means, the chosen name (`exported`) and the chosen one's scores.
    /// </summary>
    public IReadOnlyDictionary<string, double> Validate(MetricsLog? log = null, IProgress<TrainingProgress>? progress = null, long? total = null)
    {
        if (Validation is null) throw new InvalidOperationException("this trainer has no validation scenes");
        SceneEvaluator Score(HdrNetwork? network) => SceneEvaluator.Run(Recipe.Name, Validation.Count, (i, e) =>
        {
            var sample = Validation.Get(i, Device);
            e.Score(sample.Name, network is null ? Recipe.Predict(sample.Input) : Recipe.Predict(sample.Input, network), sample.Target);
        });
        var record = new JsonObject { ["kind"] = "val", ["step"] = State.Step, ["epoch"] = State.Epoch };
        SceneEvaluator evaluator;
        if (Recipe.ExportCandidates.Count == 0) evaluator = Score(null);
        else
        {
            var scored = Recipe.ExportCandidates.ToDictionary(c => c.Key, c => Score(c.Value));
            string chosen = Recipe.ChooseExport(scored.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, double>)SceneEvaluator.Values(c.Value.Mean)));
            evaluator = scored[chosen];
            var candidates = new JsonObject();
            foreach (var (name, e) in scored) candidates[name] = MeansJson(e.Mean);
            record["exported"] = chosen;
            record["candidates"] = candidates;
        }
        var scenes = new JsonObject();
        foreach (var (name, m) in evaluator.Scenes) scenes[name] = MeansJson(m);
        var mean = evaluator.Mean;
        foreach (var (key, value) in MeansJson(mean)) record[key] = value?.DeepClone();
        record["scenes"] = scenes;
        log?.Append(record);
        var means = SceneEvaluator.Values(mean);
        progress?.Report(new TrainingProgress(State.Step, total ?? TotalSteps, State.Epoch, Config.Epochs, double.NaN,
            Recipe.Optimizers[0].LearningRate, TimeSpan.FromSeconds(State.ElapsedSeconds), means));
        return means;
    }

    private static JsonObject MeansJson(HdrMetrics m) =>
        new() { ["psnr_mu"] = Round(m.PsnrMu), ["psnr_l"] = Round(m.PsnrL), ["ssim_mu"] = Round(m.SsimMu), ["ssim_l"] = Round(m.SsimL) };

    /// <summary>Writes the inference network's weights through <see cref="InferenceExport"/>, as the end of a run does.</summary>
    public void ExportWeights(string path) => InferenceExport.Write(path, Recipe, Config, State.Step);

    private JsonObject TrainRecord(StepOutcome outcome, double lr)
    {
        var record = new JsonObject
        {
            ["kind"] = "train", ["step"] = State.Step, ["epoch"] = State.Epoch, ["batch"] = State.BatchInEpoch,
            ["loss"] = outcome.Loss, ["lr"] = lr, ["elapsed_s"] = Math.Round(State.ElapsedSeconds, 3),
        };
        // One rate per optimiser: a recipe's networks may run on different base rates (a judge's, a refiner's).
        foreach (var o in Recipe.Optimizers) record[$"lr_{o.Name}"] = o.LearningRate;
        foreach (var (name, value) in outcome.Terms) record[name] = value;
        return record;
    }

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : 999.0;

    private static void RequireSameRun(CheckpointInfo info, TrainingConfig config)
    {
        string Fingerprint(TrainingConfig c) => JsonSerializer.Serialize(new { c.Recipe, c.RecipeOptions, c.Model, c.Data, c.Loss, c.Losses, c.Optimizer, c.Schedule, c.Seed });
        if (Fingerprint(info.Config) != Fingerprint(config))
            throw new ArgumentException($"the config differs from {info.SidecarPath} in recipe, model, data, loss, optimizer, schedule or seed; resume with the checkpoint's own config or start a new run");
    }

    public void Dispose()
    {
        Recipe.Dispose();
        if (_ownsData) (Data as IDisposable)?.Dispose();
    }
}
