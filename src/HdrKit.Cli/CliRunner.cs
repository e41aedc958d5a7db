using System.CommandLine;

namespace HdrKit.Cli;

/// <summary>
/// Runs a parsed command and turns the errors users cause (bad files, bad sizes, missing exposure info)
/// into one line on stderr and exit code 1, instead of a stack trace.
/// </summary>
public static class CliRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            return root.Parse(args).Invoke();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"hdrkit: error: {Flatten(e)}");
            return 1;
        }
    }

    /// <summary>Wraps a command body so that user errors become a one-line message and exit code 1.</summary>
    /// <param name="body">The command.</param>
    /// <param name="checksConvolution">Whether the command runs the convolution self-check itself, only when a network
    /// is built (merge and batch: a classical merge then never loads libtorch). Every other command gets the check before
    /// it starts, since it may run a metric, a loss or a segmentation network.</param>
    public static int Guard(Func<int> body, bool checksConvolution = false)
    {
        if (!checksConvolution) HdrKit.Util.ConvolutionSelfCheck.EnsureRun();
        try { return body(); }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"hdrkit: error: {Flatten(e)}");
            return 1;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
            or NotSupportedException or FormatException or UserInputException
        || (e is AggregateException ae && ae.InnerExceptions.All(IsUserError));

    private static string Flatten(Exception e) => e is AggregateException ae ? ae.InnerExceptions[0].Message : e.Message;
}

/// <summary>An error caused by what the user asked for; reported as one line.</summary>
public sealed class UserInputException(string message) : Exception(message);
