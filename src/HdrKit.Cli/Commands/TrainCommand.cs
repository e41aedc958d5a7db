using System.CommandLine;
using System.Runtime.InteropServices;
using HdrKit.Training;
using Spectre.Console;

namespace HdrKit.Cli.Commands;

/// <summary>`hdrkit train --config cfg.yaml [--resume ckpt] [--out dir]`: runs a training recipe with a progress bar; Ctrl-C, SIGTERM or SIGHUP checkpoints and exits.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Training config (YAML or JSON); see docs/training.md." };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint to continue from: a step-*.json sidecar, its .safetensors, or a checkpoints folder (latest)." };
        var output = new Option<string?>("--out") { Description = "Run folder (metrics.jsonl, checkpoints/, model.safetensors, curves). Default: runs/<config name>, or the checkpoint's run when resuming." };
        var export = new Option<string?>("--export") { Description = "With --resume: write that checkpoint's inference weights to this .safetensors file (what `merge --model` and `eval --model` load) and exit, without training." };
        var pictures = new Option<string?>("--pictures") { Description = "With --resume of a semi run: draw the checkpoint teacher's pseudo label, σ, patch and pixel mask for these brackets (a bracket folder or a folder of them) into --out (default <run>/semi/step-N) and exit, without training." };
        var picturesScale = new Option<int>("--pictures-scale") { Description = "With --pictures: box-downscale the frames by this integer factor first.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("train", "Train an HDR deghosting network from a config; resumable, Ctrl-C (or SIGTERM) saves a checkpoint.");
        cmd.Options.Add(config);
        cmd.Options.Add(resume);
        cmd.Options.Add(output);
        cmd.Options.Add(export);
        cmd.Options.Add(pictures);
        cmd.Options.Add(picturesScale);
        cmd.SetAction(parse => CliRunner.Guard(() => parse.GetValue(export) is { } exportPath
            ? Export(parse.GetValue(resume), exportPath)
            : parse.GetValue(pictures) is { } brackets
                ? Pictures(parse.GetValue(resume), brackets, parse.GetValue(output), parse.GetValue(picturesScale))
                : Run(parse.GetValue(config), parse.GetValue(resume), parse.GetValue(output))));
        return cmd;
    }

    private static int Export(string? resumePath, string exportPath)
    {
        if (resumePath == null) throw new UserInputException("--export needs --resume CHECKPOINT");
        if (!exportPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) throw new UserInputException($"--export {exportPath}: expected a .safetensors file");
        // The checkpoint's own weights, not the run's starting point; the same writer as the end of a run.
        var info = InferenceExport.FromCheckpoint(resumePath, exportPath);
        Console.WriteLine($"wrote {exportPath}: {info.Config.Model.Name} at step {info.State.Step}");
        return 0;
    }

    private static int Pictures(string? resumePath, string brackets, string? outputFolder, int scale)
    {
        if (resumePath == null) throw new UserInputException("--pictures needs --resume CHECKPOINT of a semi run");
        var info = Checkpoint.Read(resumePath);
        string folder = outputFolder ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(info.SidecarPath)))!, "semi", $"step-{info.State.Step:D8}");
        foreach (var p in HdrKit.Training.Recipes.SemiSupervisedPictures.FromCheckpoint(resumePath, brackets, folder, scale))
            Console.WriteLine($"wrote {p.Path}: {p.SceneId} {p.Width}x{p.Height}, {100 * p.KeptFraction:F1} % of the pixels kept");
        return 0;
    }

    private static int Run(string? configPath, string? resumePath, string? outputFolder)
    {
        if (configPath == null && resumePath == null) throw new UserInputException("give --config, --resume, or both");
        var config = configPath != null ? TrainingConfig.Load(configPath) : null;
        HdrKit.Util.Devices.ConfigureThreads();
        using var trainer = resumePath != null
            ? Trainer.Resume(resumePath, config, outputFolder)
            : new Trainer(config!, outputFolder ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(configPath!)));
        if (resumePath != null) AnsiConsole.MarkupLineInterpolated($"resuming at step {trainer.State.Step} (epoch {trainer.State.Epoch + 1})");
        AnsiConsole.MarkupLineInterpolated($"recipe {trainer.Recipe.Name}, model {trainer.Config.Model.Name} ({trainer.Recipe.InferenceNetwork.ParameterCount():N0} parameters) on {trainer.Device.type}, run folder {trainer.OutputFolder}");
        var (total, trainable) = trainer.Recipe.ParameterCounts();
        AnsiConsole.MarkupLineInterpolated($"trainable: {trainable:N0} of {total:N0} parameters ({100.0 * trainable / Math.Max(1, total):F1} %) over {trainer.Recipe.Modules.Count} module(s), {trainer.Recipe.Optimizers.Count} optimizer(s)");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // let the trainer finish its step and checkpoint
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        void StopGracefully(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }
        // `kill`, a job scheduler's pre-emption and a closed terminal stop a run the same way as Ctrl-C (a background
        // job started with `&` never sees SIGINT): finish the step, checkpoint, exit 130.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);
        using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, StopGracefully);
        TrainingResult result;
        try
        {
            result = AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("training", maxValue: trainer.TotalSteps);
                    task.Value = trainer.State.Step;
                    string lastValidation = "";
                    return trainer.Run(cancel.Token, new Reporter(p =>
                    {
                        if (p.Validation is { } v) lastValidation = $" | val PSNR-μ {v["psnr_mu"]:F2} dB";
                        else task.Value = p.Step;
                        task.Description = Markup.Escape($"epoch {p.Epoch + 1}/{p.Epochs} step {p.Step} loss {(double.IsNaN(p.Loss) ? "-" : p.Loss.ToString("F4"))} lr {p.LearningRate:G3}{lastValidation}");
                    }));
                });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (result.Interrupted)
        {
            AnsiConsole.MarkupLineInterpolated($"interrupted at step {result.State.Step}; checkpoint {result.CheckpointPath}");
            AnsiConsole.MarkupLineInterpolated($"continue with: hdrkit train --resume {result.CheckpointPath}");
            return 130;
        }
        AnsiConsole.MarkupLineInterpolated($"done: {result.State.Step} steps in {TimeSpan.FromSeconds(result.State.ElapsedSeconds):hh\\:mm\\:ss}; weights {result.WeightsPath}; checkpoint {result.CheckpointPath}");
        return 0;
    }

    /// <summary>Synchronous IProgress: Progress&lt;T&gt; would post reports to the thread pool, out of order.</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
