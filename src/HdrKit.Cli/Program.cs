using System.CommandLine;
using HdrKit.Cli.Commands;

namespace HdrKit.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        int code = Run(args);
        QuickExit.AfterSuccess(code);
        return code;
    }

    /// <summary>The command line without ending the process: what tests run in-process.</summary>
    public static int Run(string[] args)
    {
        DataDefaults.Apply();
        return CliRunner.Run(BuildRoot(), args);
    }

    /// <summary>The whole command tree; tests invoke it in-process.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "HdrKit: merge differently exposed photos of a moving scene into one ghost-free HDR image, " +
            "and train and evaluate HDR deghosting networks.")
        {
            // Help would otherwise name the command after the assembly (HdrKit.Cli), which users never type.
            HelpName = "hdrkit",
        };
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(BatchCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(ImportWeightsCommand.Create());
        root.Subcommands.Add(SegmentCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        return root;
    }
}
