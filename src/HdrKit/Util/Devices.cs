using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Util;

/// <summary>Device selection: "auto" picks CUDA when the CUDA build of TorchSharp finds a GPU, else the CPU.</summary>
public static class Devices
{
    public static Device Resolve(string? name)
    {
        name = Validate(name);
        if (name == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        return torch.device(name);
    }

    /// <summary>
    /// Refuses a device name this build cannot run, and returns it normalised. Loads libtorch only for a CUDA name
    /// (to know whether a GPU is there), so a command can check its options before it knows whether it needs a network.
    /// </summary>
    public static string Validate(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        if (name == "auto") return name;
        // libtorch knows many more device types (xla, mps, ...) than this build can run; its own error
        // ("Requested value 'TPU' was not found.") does not say what to use instead.
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^(cpu|cuda(:\d{1,2})?)$"))
            throw new ArgumentException($"unknown device '{name}': use auto, cpu or cuda[:N]");
        if (name.StartsWith("cuda") && !torch.cuda.is_available())
            throw new ArgumentException($"device '{name}' requested but CUDA is not available (build with -p:HdrKitCuda=true on a CUDA machine)");
        return name;
    }

    /// <summary>Uses every core for intra-op parallelism unless HDRKIT_THREADS says otherwise.</summary>
    public static void ConfigureThreads()
    {
        var env = Environment.GetEnvironmentVariable("HDRKIT_THREADS");
        int n = int.TryParse(env, out var v) && v > 0 ? v : Environment.ProcessorCount;
        torch.set_num_threads(n);
    }
}
