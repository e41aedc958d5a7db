using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Util;

/// <summary>
/// Checks once per process that libtorch's float32 3×3 convolution is right, and turns oneDNN (MKL-DNN) off when
/// it is not. On some CPUs libtorch 2.x's oneDNN convolution returns errors of the order of its outputs
/// (deterministic, with every DNNL_MAX_CPU_ISA; the machine and numbers are in docs/platform.md) and its backward
/// wrote NaN into gradients or segfaulted a few steps into training; the same convolution in float64 (libtorch's
/// own im2col + BLAS path) was right. Every model in HdrKit is convolutional, so a wrong convolution would
/// silently break inference, parity and training; with oneDNN off libtorch uses that exact path for float32 too.
/// TorchSharp exposes no switch for it, so at::globalContext().setUserEnabledMkldnn is called directly.
///
/// Runs as a module initializer (first use of any HdrKit type), before any network is built. It never throws:
/// a machine where libtorch cannot load fails later with libtorch's own message. HDRKIT_ONEDNN=on|off forces the
/// setting (the probe still runs, so the result says whether it is right).
///
/// Loading libtorch costs about 0.2 s, a sixth of a classical merge that never uses it. A host that knows where its
/// tensor paths start may set the runtime switch <see cref="DeferSwitch"/> (the CLI does): the initializer then does
/// nothing and the check runs at the first <see cref="EnsureRun"/>, which every <see cref="Models.HdrNetwork"/>
/// calls when it is built. Such a host calls it itself before any other convolution (metrics, losses, segmentation).
/// </summary>
public static class ConvolutionSelfCheck
{
    /// <summary>Largest |float32 − float64| of the probe convolution, relative to the output's magnitude, that passes.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Runtime switch (runtimeconfig.json, or <c>RuntimeHostConfigurationOption</c> in a project) that defers the check from module load to the first <see cref="EnsureRun"/>.</summary>
    public const string DeferSwitch = "HdrKit.DeferConvolutionSelfCheck";

    private static readonly object gate = new();
    private static bool ran;

    /// <summary>What the check found; null before it ran or when libtorch could not be loaded.</summary>
    public static ConvolutionCheckResult? Result { get; private set; }

    /// <summary>Whether the check has run (it may still have found libtorch missing: <see cref="Result"/> is then null).</summary>
    public static bool HasRun { get { lock (gate) return ran; } }

    /// <summary>Wall time of the check, including loading libtorch itself; zero before it ran.</summary>
    public static TimeSpan LoadTime { get; private set; }

    // CA2255 warns that module initializers belong in applications; here the library itself must fix libtorch's
    // state before any caller (CLI, tests, a user's program) builds a network.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunAtLoad()
    {
        if (AppContext.TryGetSwitch(DeferSwitch, out bool defer) && defer) return;
        EnsureRun();
    }

    /// <summary>Runs the check unless it has run in this process. Cheap after the first call; thread-safe.</summary>
    public static void EnsureRun()
    {
        lock (gate)
        {
            if (ran) return;
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try { Result = Run(); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
            {
                Result = null;
            }
            LoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            ran = true;
        }
    }

    /// <summary>Measures the probe convolution with oneDNN on and, if it is wrong, turns oneDNN off and measures again.</summary>
    public static ConvolutionCheckResult Run()
    {
        var forced = Environment.GetEnvironmentVariable("HDRKIT_ONEDNN")?.Trim().ToLowerInvariant();
        if (forced is "on" or "off")
        {
            SetOneDnn(forced == "on");
            double error = ProbeError(); // still measured, so `hdrkit info` shows whether the forced choice is right
            return forced == "on"
                ? new ConvolutionCheckResult(true, error, double.NaN, Forced: true)
                : new ConvolutionCheckResult(false, double.NaN, error, Forced: true);
        }
        SetOneDnn(true);
        double withOneDnn = ProbeError();
        if (withOneDnn <= Tolerance) return new ConvolutionCheckResult(true, withOneDnn, double.NaN, Forced: false);
        SetOneDnn(false);
        return new ConvolutionCheckResult(false, withOneDnn, ProbeError(), Forced: false);
    }

    /// <summary>Relative error of a float32 3×3 convolution (the shape where oneDNN failed) against float64.</summary>
    public static double ProbeError()
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var generator = new Generator(20261201);
        var x = torch.randn([2, 18, 48, 48], generator: generator);
        var w = torch.randn([32, 18, 3, 3], generator: generator) * Scalars.Of(0.1);
        var b = torch.randn([32], generator: generator) * Scalars.Of(0.1);
        var single = F.conv2d(x, w, b, padding: [1, 1]);
        var reference = F.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64), padding: [1, 1]);
        double scale = reference.abs().max().item<double>();
        return (single.to(ScalarType.Float64) - reference).abs().max().item<double>() / Math.Max(scale, 1e-12);
    }

    private static void SetOneDnn(bool enabled)
    {
        _ = torch.get_num_threads(); // loads libtorch through TorchSharp before the direct calls below
        LibTorch.SetUserEnabledMkldnn(LibTorch.GlobalContext(), enabled);
    }

    private static class LibTorch
    {
        [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled);
    }
}

/// <summary>Outcome of <see cref="ConvolutionSelfCheck"/>.</summary>
/// <param name="OneDnnEnabled">Whether libtorch's oneDNN convolutions are in use.</param>
/// <param name="ErrorWithOneDnn">Relative error of the probe with oneDNN (NaN when forced off).</param>
/// <param name="ErrorWithoutOneDnn">Relative error with oneDNN off (NaN when it stayed on).</param>
/// <param name="Forced">HDRKIT_ONEDNN decided instead of the probe.</param>
public sealed record ConvolutionCheckResult(bool OneDnnEnabled, double ErrorWithOneDnn, double ErrorWithoutOneDnn, bool Forced)
{
    public string Describe() => Forced
        ? $"oneDNN convolution {(OneDnnEnabled ? "on" : "off")} (HDRKIT_ONEDNN; self-check error {(OneDnnEnabled ? ErrorWithOneDnn : ErrorWithoutOneDnn):E1}{((OneDnnEnabled ? ErrorWithOneDnn : ErrorWithoutOneDnn) > ConvolutionSelfCheck.Tolerance ? ", WRONG RESULTS" : "")})"
        : OneDnnEnabled
            ? $"oneDNN convolution on (self-check error {ErrorWithOneDnn:E1})"
            : $"oneDNN convolution off: it failed the self-check on this CPU (error {ErrorWithOneDnn:E1}; without it {ErrorWithoutOneDnn:E1})";
}
