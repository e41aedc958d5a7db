using System.Globalization;
using System.Text.RegularExpressions;
using HdrKit.Data;

namespace HdrKit.Tests.Data;

public class MotionModelTests
{
    private static readonly Regex ObjectLine = new(@"object \d+: .*?, (?:(?<speed>[\d.]+) px/step|static), brightness x(?<gain>[\d.]+)", RegexOptions.Compiled);

    private static List<(double? Speed, double Gain)> Objects(SimulatedScene scene) =>
        scene.Provenance.Select(l => ObjectLine.Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups["speed"].Success ? double.Parse(m.Groups["speed"].Value, CultureInfo.InvariantCulture) : (double?)null,
                          double.Parse(m.Groups["gain"].Value, CultureInfo.InvariantCulture)))
            .ToList();

    [Fact]
    public void Large_motion_moves_objects_further_than_normal_motion_and_makes_dark_subjects()
    {
        var options = new SimulatorOptions { Width = 128, Height = 128 };
        var normal = new BracketSimulator(SyntheticMaps.Corpus(), options);
        var large = new BracketSimulator(SyntheticMaps.Corpus(), options with { Motion = MotionModel.Named("large") });
        var normalObjects = Enumerable.Range(0, 12).SelectMany(i => Objects(normal.Simulate(5, i))).ToList();
        var largeObjects = Enumerable.Range(0, 12).SelectMany(i => Objects(large.Simulate(5, i))).ToList();
        Assert.NotEmpty(normalObjects);
        Assert.NotEmpty(largeObjects);

        double side = 128;
        // Per-step speed is drawn from [StepMin, StepMax]·side (rounded to 0.1 px in the provenance).
        Assert.All(normalObjects.Where(o => o.Speed != null), o => Assert.InRange(o.Speed!.Value, 0.01 * side - 0.05, 0.10 * side + 0.05));
        Assert.All(largeObjects.Where(o => o.Speed != null), o => Assert.InRange(o.Speed!.Value, 0.06 * side - 0.05, 0.35 * side + 0.05));
        double Median(IEnumerable<double> v) { var s = v.Order().ToArray(); return s[s.Length / 2]; }
        Assert.True(Median(largeObjects.Where(o => o.Speed != null).Select(o => o.Speed!.Value)) > 2 * Median(normalObjects.Where(o => o.Speed != null).Select(o => o.Speed!.Value)));
        // Dark subjects (below the normal model's 1/4) appear only with the large model.
        Assert.DoesNotContain(normalObjects, o => o.Gain < 0.245);
        Assert.Contains(largeObjects, o => o.Gain < 0.245);
    }

    [Fact]
    public void Clipping_motion_makes_bright_movers_at_its_rate_and_at_normal_speeds()
    {
        var options = new SimulatorOptions { Width = 128, Height = 128 };
        var clipping = new BracketSimulator(SyntheticMaps.Corpus(), options with { Motion = MotionModel.Named("clipping") });
        var objects = Enumerable.Range(0, 24).SelectMany(i => Objects(clipping.Simulate(5, i))).ToList();
        Assert.All(objects.Where(o => o.Speed != null), o => Assert.InRange(o.Speed!.Value, 0.01 * 128 - 0.05, 0.10 * 128 + 0.05));
        // Bright movers have gains 8–64, the others 1/32–4: their share is the model's rate within 3 binomial σ
        // (0.35 here, 0.15 for the normal model).
        double p = MotionModel.Clipping.BrightObjectProbability, share = objects.Count(o => o.Gain > 6) / (double)objects.Count;
        Assert.InRange(share, p - 3 * Math.Sqrt(p * (1 - p) / objects.Count), p + 3 * Math.Sqrt(p * (1 - p) / objects.Count));
        Assert.True(p >= 2 * new MotionModel().BrightObjectProbability);
    }

    [Fact]
    public void Fast_clipping_motion_moves_its_bright_movers_tens_of_pixels()
    {
        var options = new SimulatorOptions { Width = 256, Height = 256 };
        var fast = new BracketSimulator(SyntheticMaps.Corpus(), options with { Motion = MotionModel.Named("fast-clipping") });
        var objects = Enumerable.Range(0, 24).SelectMany(i => Objects(fast.Simulate(3, i))).ToList();
        var moving = objects.Where(o => o.Speed != null).ToList();
        Assert.All(moving, o => Assert.InRange(o.Speed!.Value, 0.04 * 256 - 0.05, 0.2 * 256 + 0.05));
        // The point of the model: bright movers going further per step than the clipping model lets any mover go.
        Assert.Contains(moving, o => o.Gain > 6 && o.Speed > 0.10 * 256);
        double p = MotionModel.FastClipping.BrightObjectProbability, share = objects.Count(o => o.Gain > 6) / (double)objects.Count;
        Assert.InRange(share, p - 3 * Math.Sqrt(p * (1 - p) / objects.Count), p + 3 * Math.Sqrt(p * (1 - p) / objects.Count));
    }

    [Theory]
    [InlineData("handheld", 0.03)]
    [InlineData("far-handheld", 0.07)]
    public void Handheld_motion_shifts_the_non_reference_frames_by_about_its_fraction_and_flags_the_frame(string name, double fraction)
    {
        var options = new SimulatorOptions { Width = 128, Height = 128, Motion = MotionModel.Named(name) with { MinObjects = 0, MaxObjects = 0 } };
        var simulator = new BracketSimulator(SyntheticMaps.Corpus(), options);
        var shift = new Regex(@"camera shift of frame (?<f>\d+): \((?<x>-?[\d.]+), (?<y>-?[\d.]+)\) px", RegexOptions.Compiled);
        var offsets = new List<double>();
        for (int i = 0; i < 16; i++)
        {
            var scene = simulator.Simulate(3, i);
            var lines = scene.Provenance.Select(l => shift.Match(l)).Where(m => m.Success).ToList();
            // One shift per non-reference frame, none for the reference.
            Assert.Equal(scene.Frames.Count - 1, lines.Count);
            Assert.DoesNotContain(lines, m => int.Parse(m.Groups["f"].Value, CultureInfo.InvariantCulture) == scene.ReferenceIndex + 1);
            offsets.AddRange(lines.SelectMany(m => new[] { m.Groups["x"].Value, m.Groups["y"].Value }).Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
        }
        // The per-axis spread is the model's σ (0.03 · 128 = 3.84 px for handheld) within sampling error of 64 draws.
        double sigma = Math.Sqrt(offsets.Average(v => v * v));
        Assert.InRange(sigma, 0.7 * fraction * 128, 1.3 * fraction * 128);
        // With nothing else moving, the shifted frames still count as motion: a merge must not trust them unaligned.
        var still = new BracketSimulator(SyntheticMaps.Corpus(), options with { Motion = MotionModel.Clipping with { MinObjects = 0, MaxObjects = 0 } }).Simulate(3, 0);
        var shifted = simulator.Simulate(3, 0);
        Assert.True(Fraction(shifted.MotionMask) > 0.5, $"motion mask covers {Fraction(shifted.MotionMask):P0}");
        Assert.True(Fraction(still.MotionMask) < 0.05, $"static scene's motion mask covers {Fraction(still.MotionMask):P0}");
    }

    private static double Fraction(LabelImage? mask) => mask!.Count(1) / (double)mask.Labels.Length;

    [Fact]
    public void Unknown_motion_names_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => MotionModel.Named("huge"));
        Assert.Contains("normal, large, clipping, fast-clipping, handheld, far-handheld, shifted or static", e.Message);
    }
}
