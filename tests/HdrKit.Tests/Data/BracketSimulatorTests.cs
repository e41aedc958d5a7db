using HdrKit.Data;
using HdrKit.Imaging;

namespace HdrKit.Tests.Data;

public class BracketSimulatorTests
{
    private static SimulatorOptions Small(int exposures = 3) => new() { Width = 64, Height = 48, Exposures = exposures };

    private static bool SameScene(SimulatedScene a, SimulatedScene b) =>
        a.Frames.Zip(b.Frames).All(p => p.First.Data.AsSpan().SequenceEqual(p.Second.Data))
        && a.GroundTruth.Data.AsSpan().SequenceEqual(b.GroundTruth.Data)
        && a.Segments!.Labels.AsSpan().SequenceEqual(b.Segments!.Labels)
        && a.MotionMask!.Labels.AsSpan().SequenceEqual(b.MotionMask!.Labels)
        && a.Stops.SequenceEqual(b.Stops);

    [Fact]
    public void SameSeedGivesTheSameSceneInAnyOrderAndOnAnyThread()
    {
        var sim = new BracketSimulator(SyntheticMaps.Corpus(), Small());
        var sequential = Enumerable.Range(0, 4).Select(i => sim.Simulate(7, i)).ToArray();
        var concurrent = new SimulatedScene[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[3 - i] = sim.Simulate(7, 3 - i));
        for (int i = 0; i < 4; i++) Assert.True(SameScene(sequential[i], concurrent[i]), $"scene {i} differs between runs");
        Assert.False(SameScene(sequential[0], sequential[1]));
        Assert.False(SameScene(sequential[0], sim.Simulate(8, 0)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void ExposuresGetBrighterWithEveryStop(int exposures)
    {
        var sim = new BracketSimulator(SyntheticMaps.Corpus(), Small(exposures));
        for (int k = 0; k < 3; k++)
        {
            var s = sim.Simulate(3, k);
            Assert.Equal(exposures, s.Frames.Count);
            Assert.Equal(0.0, s.Stops[s.ReferenceIndex]);
            var means = s.Frames.Select(f => f.Data.Average()).ToArray();
            for (int i = 1; i < means.Length; i++)
            {
                Assert.True(s.Stops[i] > s.Stops[i - 1]);
                Assert.True(means[i] > means[i - 1], $"scene {k}: exposure {i + 1} (mean {means[i]}) is not brighter than exposure {i} (mean {means[i - 1]})");
            }
        }
    }

    [Fact]
    public void NothingMovesInAStaticSceneSoTheMotionMaskIsEmpty()
    {
        var sim = new BracketSimulator(SyntheticMaps.Corpus(), Small() with { Motion = MotionModel.Static });
        for (int k = 0; k < 3; k++)
            Assert.Equal(0, sim.Simulate(11, k).MotionMask!.Count(1));
    }

    [Fact]
    public void MaskIsZeroOnlyWherePixelsAgreeWithTheReferenceAcrossExposures()
    {
        // Noise-free camera and no shake: a pixel outside the mask must show the same radiance in every frame
        // (checked on the LDR values through γ, where neither frame is clipped), and moving objects must be flagged.
        var options = Small() with
        {
            Camera = CameraRanges.Kalantari with { WhiteBalanceSpread = 0, ShotNoiseGainMin = 0, ShotNoiseGainMax = 0, ReadNoiseMin = 0, ReadNoiseMax = 0 },
            Motion = new MotionModel { ShakeTranslationPixels = 0, ShakeRotationDegrees = 0, ShakeScale = 0, MinObjects = 2, MaxObjects = 3, StaticObjectProbability = 0, StepMin = 0.05 },
        };
        var sim = new BracketSimulator(SyntheticMaps.Corpus(), options);
        int flagged = 0, compared = 0, disagree = 0;
        for (int k = 0; k < 3; k++)
        {
            var s = sim.Simulate(5, k);
            var mask = s.MotionMask!;
            flagged += mask.Count(1);
            var reference = s.Frames[s.ReferenceIndex];
            for (int f = 0; f < s.Frames.Count; f++)
            {
                if (f == s.ReferenceIndex) continue;
                double scale = Math.Pow(2, s.Stops[s.ReferenceIndex] - s.Stops[f]);
                for (int i = 0; i < mask.Labels.Length; i++)
                {
                    if (mask.Labels[i] != 0) continue;
                    for (int c = 0; c < 3; c++)
                    {
                        float a = s.Frames[f].Data[c * mask.Labels.Length + i], r = reference.Data[c * mask.Labels.Length + i];
                        if (a is < 0.1f or > 0.95f || r is < 0.1f or > 0.95f) continue; // clipped or too dark to compare
                        double la = Math.Pow(a, 2.2) * scale, lr = Math.Pow(r, 2.2);
                        compared++;
                        // Soft object edges may differ by the mask's 2 % coverage tolerance; anything more is motion.
                        if (Math.Abs(la - lr) > 0.02 * lr + 1e-4) disagree++;
                    }
                }
            }
        }
        Assert.True(flagged > 0, "moving objects were not flagged at all");
        Assert.True(compared > 5000, $"only {compared} samples compared");
        Assert.True(disagree <= compared / 200, $"{disagree} of {compared} unflagged samples differ from the reference");
    }

    [Fact]
    public void GroundTruthIsTheReferenceRadianceWhereTheReferenceIsWellExposed()
    {
        var options = Small() with { Width = 96, Height = 96, Camera = CameraRanges.Kalantari };
        var sim = new BracketSimulator(SyntheticMaps.Corpus(), options);
        for (int k = 0; k < 3; k++)
        {
            var s = sim.Simulate(9, k);
            var cam = s.Camera!;
            var reference = s.Frames[s.ReferenceIndex];
            double sumZ = 0, sumZ2 = 0; int n = 0;
            for (int i = 0; i < reference.Data.Length; i++)
            {
                float ldr = reference.Data[i];
                if (ldr is < 0.1f or > 0.9f) continue;
                double linear = cam.Linearise(ldr) / Math.Pow(2, s.Stops[s.ReferenceIndex]);
                double gt = s.GroundTruth.Data[i];
                double sigma = Math.Sqrt(cam.ShotNoiseGain * gt + cam.ReadNoise * cam.ReadNoise) + 1e-5; // + 16-bit quantisation
                double z = (linear - gt) / sigma;
                sumZ += z; sumZ2 += z * z; n++;
            }
            Assert.True(n > 1000, $"scene {k}: only {n} well-exposed samples");
            double mean = sumZ / n, rms = Math.Sqrt(sumZ2 / n);
            Assert.True(Math.Abs(mean) < 0.1, $"scene {k}: GT is biased against the reference by {mean:F3} σ");
            Assert.True(rms < 1.3, $"scene {k}: GT differs from the reference by {rms:F2} σ rms, more than its noise");
        }
    }

    [Fact]
    public void SegmentMapGivesEveryVisibleObjectItsOwnId()
    {
        var options = Small() with { Motion = new MotionModel { MinObjects = 2, MaxObjects = 2, ObjectRadiusMin = 0.15, ObjectRadiusMax = 0.2 } };
        var s = new BracketSimulator(SyntheticMaps.Corpus(), options).Simulate(2, 0);
        var seg = s.Segments!;
        Assert.Equal(s.Width * s.Height, seg.Labels.Length);
        Assert.True(seg.DistinctCount >= 3, $"expected background regions plus 2 objects, got {seg.DistinctCount} ids");
    }

    [Fact]
    public void BadOptionsAreRefusedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new BracketSimulator(SyntheticMaps.Corpus(), Small(8)));
        Assert.Contains("between 2 and 7", e.Message);
        Assert.Throws<ArgumentException>(() => new BracketSimulator([], Small()));
    }
}
