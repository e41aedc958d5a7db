using HdrKit.Data;
using HdrKit.Imaging;

namespace HdrKit.Tests.Data;

public class ShiftedValidationTests
{
    private static SimulatorOptions Small(SimulationPreset preset) => preset.Options with { Width = 128, Height = 64 };

    private static double ClippedFraction(FloatImage frame) => frame.Data.Count(v => v >= 1f) / (double)frame.Data.Length;

    /// <summary>Std of the code differences between horizontally adjacent pixels: rises with noise (and texture).</summary>
    private static double DarkNoise(SimulatedScene s)
    {
        var f = s.Frames[0];
        var d = new List<double>();
        for (int y = 0; y < f.Height; y++)
            for (int x = 1; x < f.Width; x++)
                if (s.GroundTruth[1, y, x] < 0.02f && s.GroundTruth[1, y, x - 1] < 0.02f) d.Add(f[1, y, x] - f[1, y, x - 1]);
        double mean = d.Average();
        return Math.Sqrt(d.Average(v => (v - mean) * (v - mean)));
    }

    [Fact]
    public void TheShiftedPresetClipsMoreIsNoisierAndArticulatesItsMovers()
    {
        var maps = SyntheticMaps.Corpus();
        var first = new BracketSimulator(maps, Small(SimulationPreset.Validation));
        var shifted = new BracketSimulator(maps, Small(SimulationPreset.ValidationShifted));
        var a = Enumerable.Range(0, 8).Select(i => first.Simulate(11, i)).ToArray();
        var b = Enumerable.Range(0, 8).Select(i => shifted.Simulate(11, i)).ToArray();
        double clipA = a.Average(s => ClippedFraction(s.Frames[s.ReferenceIndex])), clipB = b.Average(s => ClippedFraction(s.Frames[s.ReferenceIndex]));
        Assert.True(clipB > 2 * clipA, $"reference clipped: shifted {clipB:P2}, validation {clipA:P2}");
        Assert.True(b.Average(s => s.Camera!.ReadNoise) > 3 * a.Average(s => s.Camera!.ReadNoise));
        Assert.True(b.Average(DarkNoise) > a.Average(DarkNoise));
        Assert.Contains(b, s => s.Camera!.BitDepth == 8);
        Assert.DoesNotContain(a, s => s.Camera!.BitDepth == 8);
        Assert.Contains(b.SelectMany(s => s.Provenance), l => l.Contains(" limb: "));
        Assert.DoesNotContain(a.SelectMany(s => s.Provenance), l => l.Contains(" limb: "));
        // Per-scene white balance: the red/blue gain ratio spreads much wider.
        double Spread(IEnumerable<SimulatedScene> s) => s.Select(x => Math.Abs(Math.Log(x.Camera!.WhiteBalance[0] / x.Camera!.WhiteBalance[2]))).Average();
        Assert.True(Spread(b) > 2 * Spread(a));
    }

    [Fact]
    public void MoversPlacedOverHighlightsSitWhereTheReferenceClips()
    {
        var options = Small(SimulationPreset.ValidationShifted) with
        {
            Motion = MotionModel.Shifted with { SaturatedPlacementProbability = 1, ArticulatedProbability = 0, MinObjects = 1, MaxObjects = 1, BrightObjectProbability = 0, DarkObjectProbability = 0, StaticObjectProbability = 0 },
        };
        var plain = options with { Motion = options.Motion with { SaturatedPlacementProbability = 0 } };
        double Brightness(SimulatorOptions o) => Enumerable.Range(0, 8).Average(i =>
        {
            var s = new BracketSimulator(SyntheticMaps.Corpus(), o).Simulate(3, i);
            // Background radiance (ground truth outside the mover) under the mover's reference footprint, relative to the scene median.
            var gt = s.GroundTruth;
            var label = s.Segments!.Labels;
            ushort mover = label.Max();
            var lum = RadianceMapLuminance(gt);
            var sorted = lum.Order().ToArray();
            double median = sorted[sorted.Length / 2];
            var inside = Enumerable.Range(0, lum.Length).Where(p => label[p] == mover).ToArray();
            // The neighbourhood of the mover: a ring a few pixels around it in the reference.
            return inside.Length == 0 ? 1 : RingMean(lum, label, mover, gt.Width, gt.Height) / median;
        });
        Assert.True(Brightness(options) > 1.5 * Brightness(plain), $"{Brightness(options):F2} vs {Brightness(plain):F2}");
    }

    private static float[] RadianceMapLuminance(FloatImage img)
    {
        int n = img.PixelCount;
        return Enumerable.Range(0, n).Select(i => 0.2126f * img.Data[i] + 0.7152f * img.Data[n + i] + 0.0722f * img.Data[2 * n + i]).ToArray();
    }

    private static double RingMean(float[] lum, ushort[] label, ushort mover, int w, int h)
    {
        double sum = 0; int n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (label[y * w + x] == mover) continue;
                bool near = false;
                for (int dy = -4; dy <= 4 && !near; dy += 2)
                    for (int dx = -4; dx <= 4 && !near; dx += 2)
                    {
                        int xx = x + dx, yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < w && yy < h && label[yy * w + xx] == mover) near = true;
                    }
                if (near) { sum += lum[y * w + x]; n++; }
            }
        return n == 0 ? 1 : sum / n;
    }
}
