using System.CommandLine;
using HdrKit.Inference;
using HdrKit.Util;
using TorchSharp;

namespace HdrKit.Cli.Commands;

/// <summary>`hdrkit info`: versions, device and where bundled data was found; first thing to paste in a bug report.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var cmd = new Command("info", "Show versions, the compute device, the registered network architectures and where HdrKit finds its bundled models and data.");
        cmd.SetAction(_ => CliRunner.Guard(() =>
        {
            Console.WriteLine($"hdrkit {typeof(RepoPaths).Assembly.GetName().Version}");
            Console.WriteLine($".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine($"libtorch via TorchSharp {typeof(torch).Assembly.GetName().Version}, threads {torch.get_num_threads()}, CUDA {(torch.cuda.is_available() ? "available" : "not available")}");
            Console.WriteLine(HdrKit.Util.ConvolutionSelfCheck.Result?.Describe() ?? "convolution self-check: did not run (libtorch failed to load)");
            Console.WriteLine($"repository root: {RepoPaths.Root ?? "(not found)"}");
            Console.WriteLine($"data folder ({DataFolder.EnvironmentVariable}): {DataFolder.Current ?? "(not set)"}");
            Console.WriteLine($"default model: {DefaultModel.Folder ?? "(none installed: merge uses the classical pipeline)"}");
            Console.WriteLine("models (--model NAME):");
            foreach (var m in HdrKit.Models.ModelRegistry.All.OrderBy(m => m.Name, StringComparer.Ordinal))
                Console.WriteLine($"  {m.Name,-24} {m.Description}");
            return 0;
        }));
        return cmd;
    }
}
