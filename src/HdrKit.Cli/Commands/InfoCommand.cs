using System.CommandLine;
using HdrKit.Util;
using TorchSharp;

namespace HdrKit.Cli.Commands;

/// <summary>`hdrkit info`: versions, device and where bundled data was found; first thing to paste in a bug report.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var cmd = new Command("info", "Show versions, the compute device and where HdrKit finds its bundled models and data.");
        cmd.SetAction(_ => CliRunner.Guard(() =>
        {
            Console.WriteLine($"hdrkit {typeof(RepoPaths).Assembly.GetName().Version}");
            Console.WriteLine($".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine($"libtorch via TorchSharp {typeof(torch).Assembly.GetName().Version}, threads {torch.get_num_threads()}, CUDA {(torch.cuda.is_available() ? "available" : "not available")}");
            Console.WriteLine($"repository root: {RepoPaths.Root ?? "(not found)"}");
            Console.WriteLine($"shared data: {RepoPaths.Shared ?? "(not found)"}");
            return 0;
        }));
        return cmd;
    }
}
