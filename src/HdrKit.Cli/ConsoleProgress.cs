using Spectre.Console;

namespace HdrKit.Cli;

/// <summary>
/// Progress bars with ETA on stderr (stdout stays clean for scripts). Each stage is an IProgress&lt;double&gt;
/// from 0 to 1 that library code reports into; without a terminal the bars are not drawn.
/// </summary>
public static class ConsoleProgress
{
    private static readonly IAnsiConsole Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static T Run<T>(Func<Func<string, IProgress<double>>, T> body)
    {
        if (Console.IsErrorRedirected) return body(_ => new Ignored());
        return Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => body(name => new Stage(ctx.AddTask(name, maxValue: 1.0))));
    }

    private sealed class Stage(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);
    }

    private sealed class Ignored : IProgress<double>
    {
        public void Report(double value) { }
    }
}
