using System.Diagnostics;
using System.Text.Json;
using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Util;

namespace HdrKit.Bench;

/// <summary>
/// Suite "classical": our DebevecMerge and MertensFusion against OpenCV's (bench/peers/opencv_merge.py) on real
/// brackets from ../shared, same frames, same response table; PSNR between the outputs and the time ratio, both
/// measured in the same run.
/// </summary>
public static class ClassicalBench
{
    internal sealed record Scene(string Name, string[] Files, double[] Seconds);

    internal static readonly Scene[] Scenes =
    {
        // memorial: shutter_times.txt lists 0061 = 32 s halving down to 0076; three frames 2 stops apart.
        new("memorial", new[] { "memorial/memorial0068.png", "memorial/memorial0066.png", "memorial/memorial0064.png" }, new[] { 0.25, 1.0, 4.0 }),
        new("pingpong", new[] { "pingpong/Img1.JPG", "pingpong/Img2.JPG", "pingpong/Img3.JPG" }, new[] { 0.25, 1.0, 4.0 }),
    };

    public static int Run(string[] args)
    {
        if (args.Contains("--large")) return Large();
        var root = TeamDataFolder.Path("data", "brackets");
        if (root == null) { Console.Error.WriteLine("../shared/data/brackets is not available"); return 1; }
        var peer = Path.Combine(RepoPaths.Root ?? ".", "bench", "peers", "opencv_merge.py");
        // The γ 2.2 response as an 8-bit table both sides use; code 0 is floored because OpenCV takes its log.
        var table = Enumerable.Range(0, 256).Select(k => Math.Max(MathF.Pow(k / 255f, GammaResponse.Gamma), 1e-8f)).ToArray();
        var response = new CameraResponse(new[] { table, table, table });

        Console.WriteLine("| scene | size | Debevec PSNR-μ (dB) | Debevec PSNR-L (dB) | Debevec log-avg PSNR-μ / PSNR-L | Mertens PSNR (dB) | Debevec time ours/cv2 | Mertens time ours/cv2 | full ClassicalMerger (align + deghost + merge) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var scene in Scenes)
        {
            var frames = scene.Files.Select(f => ReadLdr(Path.Combine(root, f))).ToArray();
            var bracket = new Bracket(frames, scene.Seconds, 1);
            using var tmp = new TempFolder();
            var responseFile = Path.Combine(tmp.Path, "response.f32");
            File.WriteAllBytes(responseFile, Enumerable.Range(0, 256).SelectMany(k => Enumerable.Range(0, 3).SelectMany(_ => BitConverter.GetBytes(table[k]))).ToArray());
            var peerJson = RunPeer(peer, tmp.Path, responseFile, scene.Seconds, scene.Files.Select(f => Path.Combine(root, f)));
            var cvDebevec = ReadF32(Path.Combine(tmp.Path, "debevec.f32"), bracket.Width, bracket.Height);
            var cvMertens = ReadF32(Path.Combine(tmp.Path, "mertens.f32"), bracket.Width, bracket.Height);

            var (ours, tOurs) = Timed(() => DebevecMerge.Merge(bracket, response));
            var (oursLog, _) = Timed(() => DebevecMerge.Merge(bracket, response, averaging: RadianceAveraging.Logarithmic), 1);
            var (fused, tFused) = Timed(() => MertensFusion.Fuse(bracket));
            var (_, tPipeline) = Timed(() => new ClassicalMerger().Merge(bracket), 1);

            var (mu, lin) = HdrPsnr(ours, cvDebevec);
            var (muLog, linLog) = HdrPsnr(oursLog, cvDebevec);
            double mertensPsnr = Psnr(fused.Data, cvMertens.Data);
            double tCvD = peerJson.GetProperty("debevec_s").GetDouble(), tCvM = peerJson.GetProperty("mertens_s").GetDouble();
            Console.WriteLine($"| {scene.Name} | {bracket.Width}×{bracket.Height}×{bracket.Count} | {mu:F2} | {lin:F2} | {muLog:F2} / {linLog:F2} | {mertensPsnr:F2} | {tOurs / tCvD:F2} ({tOurs * 1000:F0} / {tCvD * 1000:F0} ms) | {tFused / tCvM:F2} ({tFused * 1000:F0} / {tCvM * 1000:F0} ms) | {tPipeline * 1000:F0} ms |");
        }
        return 0;
    }

    // Speed at camera resolution: a synthetic 4000×3000 three-frame bracket (a smooth radiance field through the
    // γ camera), timed once each since one run already takes seconds.
    private static int Large()
    {
        const int w = 4000, h = 3000;
        var seconds = new[] { 0.25, 1.0, 4.0 };
        var frames = seconds.Select(t =>
        {
            var f = new FloatImage(w, h, 3);
            Parallel.For(0, h, y =>
            {
                for (int c = 0; c < 3; c++)
                    for (int x = 0; x < w; x++)
                    {
                        double e = Math.Pow(2, 6.0 * x / w - 3 + Math.Sin(y * 0.01 + c) + 0.5 * Math.Sin(x * 0.05));
                        f[c, y, x] = MathF.Round(GammaResponse.ToLdr((float)e, t) * 255f) / 255f;
                    }
            });
            return f;
        }).ToArray();
        var bracket = new Bracket(frames, seconds, 1);
        var (_, tMerge) = Timed(() => new ClassicalMerger().Merge(bracket), 1);
        var (_, tFuse) = Timed(() => MertensFusion.Fuse(bracket), 1);
        Console.WriteLine($"| {w}×{h}×3 | ClassicalMerger {tMerge:F1} s | MertensFusion {tFuse:F1} s |");
        return 0;
    }

    // Both radiance maps scaled so cv2's 99.9th percentile is 1 (ours additionally by the least-squares gain
    // onto cv2), clipped to [0,1] as in the Kalantari metrics, then PSNR on μ-law and linear values.
    internal static (double Mu, double Linear) HdrPsnr(FloatImage ours, FloatImage reference)
    {
        var r = reference.Data; var o = ours.Data;
        var sorted = (float[])r.Clone(); Array.Sort(sorted);
        double norm = 1.0 / sorted[(int)(sorted.Length * 0.999)];
        double num = 0, den = 0;
        for (int i = 0; i < r.Length; i++) { num += (double)o[i] * r[i]; den += (double)o[i] * o[i]; }
        double gain = num / den;
        var a = new float[r.Length]; var b = new float[r.Length];
        for (int i = 0; i < r.Length; i++) { a[i] = (float)Math.Clamp(o[i] * gain * norm, 0, 1); b[i] = (float)Math.Clamp(r[i] * norm, 0, 1); }
        double lin = Psnr(a, b);
        MuLaw.ApplyInPlace(a); MuLaw.ApplyInPlace(b);
        return (Psnr(a, b), lin);
    }

    internal static double Psnr(float[] a, float[] b)
    {
        double se = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; se += d * d; }
        return 10 * Math.Log10(1.0 / (se / a.Length));
    }

    internal static (T Result, double Seconds) Timed<T>(Func<T> run, int repeats = 3)
    {
        var times = new List<double>(); T result = default!;
        for (int i = 0; i < repeats; i++) { var sw = Stopwatch.StartNew(); result = run(); times.Add(sw.Elapsed.TotalSeconds); }
        times.Sort();
        return (result, times[times.Count / 2]);
    }

    private static JsonElement RunPeer(string script, string outDir, string responseFile, double[] seconds, IEnumerable<string> files)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, outDir, responseFile, string.Join(",", seconds.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) }.Concat(files))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"opencv_merge.py failed: {stderr.Trim()}");
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
    }

    internal static FloatImage ReadLdr(string path)
    {
        using var image = NetVips.Image.NewFromFile(path);
        using var rgb = image.ExtractBand(0, 3);
        using var bytes = rgb.Cast(NetVips.Enums.BandFormat.Uchar);
        var data = bytes.WriteToMemory<byte>();
        return FloatImage.FromInterleaved(data.Select(b => b / 255f).ToArray(), bytes.Width, bytes.Height, 3);
    }

    private static FloatImage ReadF32(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return FloatImage.FromInterleaved(values, width, height, 3);
    }
}
