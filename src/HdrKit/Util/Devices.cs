using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Util;

/// <summary>Device selection: "auto" picks CUDA when the CUDA build of TorchSharp finds a GPU, else the CPU.</summary>
public static class Devices
{
    public static Device Resolve(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        if (name == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (name.StartsWith("cuda") && !torch.cuda.is_available())
            throw new ArgumentException($"device '{name}' requested but CUDA is not available (build with -p:HdrKitCuda=true on a CUDA machine)");
        return torch.device(name);
    }

    /// <summary>Uses every core for intra-op parallelism unless HDRKIT_THREADS says otherwise.</summary>
    public static void ConfigureThreads()
    {
        var env = Environment.GetEnvironmentVariable("HDRKIT_THREADS");
        int n = int.TryParse(env, out var v) && v > 0 ? v : Environment.ProcessorCount;
        torch.set_num_threads(n);
    }
}
