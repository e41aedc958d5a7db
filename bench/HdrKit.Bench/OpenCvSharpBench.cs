using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;
using OpenCvSharp;

namespace HdrKit.Bench;

/// <summary>
/// Suite "opencvsharp": HdrKit's hand-written classical stages against OpenCV's through OpenCvSharp4 (the official
/// Linux runtime), in one process on the same frames: Debevec merge with the same response table and Mertens fusion.
/// OpenCvSharp4 4.13 wraps no AlignMTB, so MTB alignment has no peer here (the `merge` suite times it in OpenCV's Python
/// binding). It answers issue 19's question of where the package would beat HdrKit's own loops. Times are
/// medians of --repeats calls after one warm-up call each; agreement is the PSNR between the two outputs
/// (Debevec as in the classical suite: μ-law and linear after a least-squares gain).
///
/// usage: opencvsharp [--repeats 5]
/// </summary>
public static class OpenCvSharpBench
{
    public const string Help = "Debevec and Mertens: HdrKit's own code vs OpenCV through OpenCvSharp4, in-process";

    public static int Run(string[] args)
    {
        int repeats = BenchOptions.IntOption(args, "--repeats", 5);
        var root = TeamDataFolder.Path("data", "brackets");
        if (root == null) { Console.Error.WriteLine("../shared/data/brackets is not available"); return 1; }
        Cv2.SetNumThreads(Environment.ProcessorCount);
        // The parallel framework and SIMD dispatch the runtime was built with decide most of its speed, so say which.
        var build = Cv2.GetBuildInformation().Split('\n').Select(l => l.Trim());
        string BuildLine(string key) => build.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        Console.WriteLine($"OpenCV {Cv2.GetVersionString()} (OpenCvSharp4), {Cv2.GetNumThreads()} threads, parallel framework {BuildLine("Parallel framework")}, "
            + $"SIMD baseline {BuildLine("Baseline")}, dispatched {BuildLine("Dispatched code generation")}; medians of {repeats} after a warm-up");
        // The γ 2.2 response as an 8-bit table both sides use; code 0 is floored because OpenCV takes its log.
        var table = Enumerable.Range(0, 256).Select(k => Math.Max(MathF.Pow(k / 255f, GammaResponse.Gamma), 1e-8f)).ToArray();
        var response = new CameraResponse([table, table, table]);
        using var cvResponse = new Mat(256, 1, MatType.CV_32FC3);
        for (int k = 0; k < 256; k++) cvResponse.Set(k, 0, new Vec3f(table[k], table[k], table[k]));

        Console.WriteLine("| scene | size | stage | HdrKit (ms) | OpenCV (ms) | HdrKit / OpenCV | agreement |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var scene in ClassicalBench.Scenes)
        {
            var paths = scene.Files.Select(f => Path.Combine(root, f)).ToArray();
            var bracket = new Bracket(paths.Select(ClassicalBench.ReadLdr).ToArray(), scene.Seconds, 1);
            var mats = paths.Select(p => Cv2.ImRead(p, ImreadModes.Color)).ToArray();
            string size = $"{bracket.Width}×{bracket.Height}×{bracket.Count}";
            void Row(string stage, double ours, double theirs, string agreement) =>
                Console.WriteLine($"| {scene.Name} | {size} | {stage} | {ours * 1000:F0} | {theirs * 1000:F0} | {ours / theirs:F2} | {agreement} |");

            using var debevec = MergeDebevec.Create();
            var times = scene.Seconds.Select(t => (float)t).ToArray();
            var (ours, tOurs) = Timed(() => DebevecMerge.Merge(bracket, response), repeats);
            var (cv, tCv) = Timed(() => { var m = new Mat(); debevec.Process(mats, m, times, cvResponse); return m; }, repeats);
            var (mu, lin) = ClassicalBench.HdrPsnr(ours, ToFloatImage(cv));
            Row("Debevec merge", tOurs, tCv, $"PSNR-μ {mu:F1} dB, PSNR-L {lin:F1} dB");

            using var mertens = MergeMertens.Create();
            var (fused, tFused) = Timed(() => MertensFusion.Fuse(bracket), repeats);
            var (cvFused, tCvFused) = Timed(() => { var m = new Mat(); mertens.Process(mats, m); return m; }, repeats);
            Row("Mertens fusion", tFused, tCvFused, $"PSNR {ClassicalBench.Psnr(fused.Data, ToFloatImage(cvFused).Data):F1} dB");
            foreach (var m in mats) m.Dispose();
        }
        return 0;
    }

    // One warm-up call (OpenCV allocates its buffers and thread pool, .NET compiles), then the median of the rest.
    private static (T Result, double Seconds) Timed<T>(Func<T> run, int repeats)
    {
        var warm = run();
        if (warm is IDisposable d) d.Dispose();
        return ClassicalBench.Timed(run, repeats);
    }

    /// <summary>A CV_32FC3 BGR Mat as an RGB planar FloatImage.</summary>
    private static FloatImage ToFloatImage(Mat bgr)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        using var contiguous = rgb.Clone();
        var data = new float[contiguous.Rows * contiguous.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(contiguous.Data, data, 0, data.Length);
        return FloatImage.FromInterleaved(data, contiguous.Cols, contiguous.Rows, 3);
    }
}
