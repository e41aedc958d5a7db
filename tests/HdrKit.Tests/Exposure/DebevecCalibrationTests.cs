using System.Text.Json;
using HdrKit.Exposure;
using HdrKit.Tests.Classical;

namespace HdrKit.Tests.Exposure;

public class DebevecCalibrationTests
{
    [Fact]
    public void GridMatchesOpenCvLayout()
    {
        // OpenCV, random = false, 70 samples on 64×48: ⌊√(70·64/48)⌋ = 9 columns, ⌊70/9⌋ = 7 rows,
        // steps 64/9 = 7 and 48/7 = 6, starting at half a step.
        var s = DebevecCalibration.GridSamples(64, 48, 70);
        Assert.Equal(63, s.Count);
        Assert.Equal((3, 3), s[0]);
        Assert.Equal((3, 9), s[1]);
        Assert.Equal((3 + 8 * 7, 3 + 6 * 6), s[^1]);
    }

    [Fact]
    public void RecoversAGammaCurveFromASyntheticBracket()
    {
        var bracket = Scenes.Bracket(Scenes.Radiance(64, 48), new[] { 1 / 32.0, 1 / 8.0, 0.5, 2.0, 8.0 }, 2);
        var r = DebevecCalibration.Calibrate(bracket, sampleCount: 120);
        // The true curve normalised like the solution (g(128) = 0): (z/128)^2.2.
        foreach (int z in new[] { 32, 64, 96, 160, 200, 230 })
            for (int c = 0; c < 3; c++)
                Assert.InRange(Math.Log(r.ToLinear(c, z / 255f)) - 2.2 * Math.Log(z / 128.0), -0.08, 0.08);
    }

    [Fact]
    public void AgreesWithOpenCvCalibrateDebevec()
    {
        var meta = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("Classical", "golden.json"))).RootElement.GetProperty("calibration");
        int w = meta.GetProperty("width").GetInt32(), h = meta.GetProperty("height").GetInt32();
        var times = meta.GetProperty("times").EnumerateArray().Select(t => t.GetDouble()).ToArray();
        var frames = Scenes.ReadU8Frames(TestData.Fixture("Classical", "calib_frames.u8"), times.Length, w, h);
        var cv = Scenes.ReadF32(TestData.Fixture("Classical", "calib_cv2.f32")); // 256×3, exp(g), g(128) = 0

        var ours = DebevecCalibration.Calibrate(new Bracket(frames, times, 2), sampleCount: 70, lambda: 10);

        // Same samples, equations and anchor; OpenCV 4.6 floors its hat weight at 1 instead of 0 and solves in
        // float32, which moves the extreme codes, so compare ln f⁻¹ over the codes the samples actually exercise.
        for (int c = 0; c < 3; c++)
            for (int z = 16; z <= 240; z++)
            {
                double d = Math.Log(ours.ToLinear(c, z / 255f)) - Math.Log(cv[z * 3 + c]);
                Assert.True(Math.Abs(d) < 0.05, $"channel {c} code {z}: ln ours − ln cv2 = {d:F4}");
            }
    }

    [Fact]
    public void SamplesOutsideTheFrameAreRejected()
    {
        var bracket = Scenes.Bracket(Scenes.Radiance(16, 8), new[] { 0.5, 2.0 }, 0);
        var e = Assert.Throws<ArgumentException>(() => DebevecCalibration.Calibrate(bracket, new[] { (16, 0) }));
        Assert.Equal("samples", e.ParamName);
    }
}
