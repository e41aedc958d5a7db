using System.Buffers.Binary;
using System.Text.Json;
using HdrKit.Imaging;
using HdrKit.Metrics;

namespace HdrKit.Tests.Metrics;

/// <summary>
/// The image pairs and expected metrics in Fixtures/Metrics, written by make_golden.py with numpy and
/// scikit-image 0.19 (not by HdrKit).
/// </summary>
public static class MetricFixtures
{
    public sealed record Pair(string Name, FloatImage Prediction, FloatImage GroundTruth, JsonElement Expected);

    public static readonly string[] Names = { "smooth", "noisy", "over_range" };

    private static readonly Lazy<JsonDocument> Golden =
        new(() => JsonDocument.Parse(File.ReadAllText(TestData.Fixture("Metrics", "golden.json"))));

    public static Pair Load(string name)
    {
        var root = Golden.Value.RootElement;
        var shape = root.GetProperty("shape_hwc").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var entry = root.GetProperty("pairs").GetProperty(name);
        FloatImage Read(string key)
        {
            var bytes = File.ReadAllBytes(TestData.Fixture("Metrics", entry.GetProperty(key).GetString()!));
            var hwc = new float[bytes.Length / 4];
            for (int i = 0; i < hwc.Length; i++) hwc[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
            return FloatImage.FromInterleaved(hwc, shape[1], shape[0], shape[2]);
        }
        return new Pair(name, Read("pred"), Read("gt"), entry);
    }

    public static HdrMetrics Expected(Pair pair, string policy)
    {
        var e = pair.Expected.GetProperty(policy);
        return new HdrMetrics(e.GetProperty("psnr_mu").GetDouble(), e.GetProperty("psnr_l").GetDouble(),
            e.GetProperty("ssim_mu").GetDouble(), e.GetProperty("ssim_l").GetDouble());
    }

    public const double PsnrTolerance = 1e-4;
    public const double SsimTolerance = 1e-5;

    public static void AssertClose(HdrMetrics expected, HdrMetrics actual, string what)
    {
        void Check(string metric, double e, double a, double tol) =>
            Assert.True(Math.Abs(e - a) <= tol, $"{what} {metric}: expected {e:R}, got {a:R} (|Δ| {Math.Abs(e - a):E2} > {tol:E0})");
        Check("PSNR-μ", expected.PsnrMu, actual.PsnrMu, PsnrTolerance);
        Check("PSNR-L", expected.PsnrL, actual.PsnrL, PsnrTolerance);
        Check("SSIM-μ", expected.SsimMu, actual.SsimMu, SsimTolerance);
        Check("SSIM-L", expected.SsimL, actual.SsimL, SsimTolerance);
    }
}
