using HdrKit.Inference;
using HdrKit.Data;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using HdrKit.Tests.Training;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Data;

/// <summary>The one training batch from each scene source: fields, shapes, labels, and placements that reproduce the patch.</summary>
public sealed class SceneSourcesTests
{
    private static BracketSimulator Simulator(int width = 40, int height = 32, int exposures = 3, double evStep = 2) =>
        new(SyntheticMaps.Corpus(), new SimulatorOptions { Width = width, Height = height, Exposures = exposures, EvSteps = [evStep], Camera = CameraRanges.Kalantari });

    private static LoaderOptions Options(AugmentationOptions augmentation, int batch = 4, int patch = 16) => new()
    {
        BatchSize = batch, PatchSize = patch, Workers = 1, Augmentation = augmentation,
        IncludeSegments = true, IncludeMotionMask = true, Seed = 9,
    };

    private static string WriteScenes(string root, int count, int exposures = 3, double evStep = 2)
    {
        var simulator = Simulator(exposures: exposures, evStep: evStep);
        for (int i = 0; i < count; i++) KalantariScene.Write(Path.Combine(root, $"s{i:D2}"), simulator.Simulate(1, i));
        return root;
    }

    private static Tensor LabelTensor(LabelImage labels) =>
        torch.tensor(labels.Labels.Select(v => (long)v).ToArray(), [1, labels.Height, labels.Width]);

    /// <summary>
    /// The key property: cutting the whole scene with each sample's placement gives exactly the batch's rows —
    /// inputs (LDR halves exactly, linear halves as LDR^γ / 2^stop), target and segments.
    /// </summary>
    private static void AssertPlacementsReproduceTheBatch(TrainingBatch batch, Func<string, TrainingScene> sceneOf)
    {
        for (int i = 0; i < batch.Size; i++)
        {
            var sample = batch.Samples[i];
            var scene = sceneOf(sample.SceneId);
            var full = NetworkInput.Build(scene.ToBracket(), InputOrder.LinearFirst, ExposureTimeOrigin.Absolute)[0];
            var inputs = sample.Apply(full, colour: true);
            Assert.True(inputs[.., 3..].SameAs(batch.Inputs[i, .., 3..]), $"sample {i}: LDR channels differ from the placement's cut");
            var t = torch.tensor(sample.Stops.Select(s => (float)Math.Pow(2, s)).ToArray()).reshape(-1, 1, 1, 1);
            Assert.True(torch.allclose(batch.Inputs[i, .., ..3], batch.Inputs[i, .., 3..].pow(Scalars.Of(2.2f)) / t, rtol: 1e-4, atol: 1e-7));
            if (scene.GroundTruth is { } gt)
                Assert.True(sample.Apply(gt.ToTensor(), colour: true).SameAs(batch.Target![i]), $"sample {i}: target differs");
            if (scene.Segments is { } seg)
                Assert.True(sample.Apply(LabelTensor(seg)).SameAs(batch.Segments![i]), $"sample {i}: segments differ");
        }
    }

    [Fact]
    public void SimulatedSourceFillsEveryFieldAndPlacementsReproduceThePatch()
    {
        using var scope = torch.NewDisposeScope();
        var source = new SimulatedSceneSource(Simulator(), seed: 4, count: 3);
        using var loader = new PatchLoader(source, Options(AugmentationOptions.Strong));
        var transforms = new List<PatchTransform>();
        for (int b = 0; b < 4; b++)
        {
            using var batch = loader.Make(b);
            Assert.Equal(new long[] { 4, 3, 6, 16, 16 }, batch.Inputs.shape);
            Assert.Equal(new long[] { 4, 3, 16, 16 }, batch.Target!.shape);
            Assert.Equal(new long[] { 4, 1, 16, 16 }, batch.Segments!.shape);
            Assert.Equal(ScalarType.Int64, batch.Segments.dtype);
            Assert.Equal(new long[] { 4, 1, 16, 16 }, batch.MotionMask!.shape);
            Assert.All(batch.Labelled, Assert.True);
            Assert.All(batch.Samples, s => Assert.Equal([0.0, 2.0, 4.0], s.Stops));
            Assert.All(batch.SceneIds, id => Assert.Matches("^scene000[0-2]$", id));
            AssertPlacementsReproduceTheBatch(batch, id => source.Scene(int.Parse(id[5..])));
            // Per-scene state through Gather lands exactly where the target did.
            Assert.True(batch.Gather(id => source.Scene(int.Parse(id[5..])).GroundTruth!.ToTensor(), colour: true).SameAs(batch.Target));
            transforms.AddRange(batch.Samples.Select(s => s.Transform));
        }
        // The property above was exercised on real augmentations, not only the identity.
        Assert.Contains(transforms, t => t.Rotations % 2 == 1);
        Assert.Contains(transforms, t => !t.IsColourIdentity);
    }

    [Fact]
    public void FolderSourceReadsSegmentsAndMotionMasksAndPlacementsReproduceThePatch()
    {
        using var dir = new TestData.TempDir();
        using var scope = torch.NewDisposeScope();
        var source = new FolderSceneSource(WriteScenes(dir.Path, 2));
        Assert.Equal(2, source.Count);
        Assert.Equal(["s00", "s01"], source.All().Select(s => s.Id));
        using var loader = new PatchLoader(source, Options(AugmentationOptions.Weak));
        using var batch = loader.Make(0);
        Assert.NotNull(batch.Segments);
        Assert.NotNull(batch.MotionMask);
        Assert.All(batch.SceneIds, id => Assert.Contains(id, new[] { "s00", "s01" }));
        AssertPlacementsReproduceTheBatch(batch, id => source.Scene(id == "s00" ? 0 : 1));
        Assert.All(batch.Samples, s => Assert.True(s.Transform.IsColourIdentity)); // weak: no channel shuffle
    }

    [Fact]
    public void FolderSourceStopsCachingAtItsBudgetAndStillServesEveryScene()
    {
        using var dir = new TestData.TempDir();
        var root = WriteScenes(dir.Path, 3);
        var unbounded = new FolderSceneSource(root);
        // A budget of one byte: the first scene fills it, the others are decoded on each request.
        var bounded = new FolderSceneSource(root, cacheBudgetBytes: 1);
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < 3; i++)
            {
                var a = unbounded.Scene(i);
                var b = bounded.Scene(i);
                Assert.Equal(a.Id, b.Id);
                Assert.Equal(a.GroundTruth!.Data, b.GroundTruth!.Data);
                Assert.Equal(a.Frames[0].Data, b.Frames[0].Data);
            }
        Assert.Equal(3, unbounded.CachedScenes);
        Assert.Equal(1, bounded.CachedScenes);
        Assert.Same(bounded.Scene(0), bounded.Scene(0));
        Assert.NotSame(bounded.Scene(1), bounded.Scene(1));
    }

    [Fact]
    public void WithoutSegmentsPngAFolderSceneTakesTheSemanticBankCache()
    {
        using var dir = new TestData.TempDir();
        var root = WriteScenes(dir.Path, 1);
        var folder = Path.Combine(root, "s00");
        File.Delete(Path.Combine(folder, KalantariScene.SegmentsFile));
        var ids = Enumerable.Range(0, 40 * 32).Select(i => (short)(i % 7)).ToArray();
        using (var t = torch.tensor(ids, [32, 40]))
            SafeTensors.Save(Path.Combine(folder, "skb-0123456789abcdef.safetensors"), new Dictionary<string, Tensor> { ["segments"] = t },
                new Dictionary<string, string> { ["size"] = "40x32", ["segment_count"] = "7" });

        var scene = new FolderSceneSource(root).Scene(0);

        Assert.Equal(ids.Select(v => (ushort)v), scene.Segments!.Labels);
    }

    [Fact]
    public void UnlabelledBracketsHaveNoTargetAndTheModelsFrameCount()
    {
        using var dir = new TestData.TempDir();
        var root = WriteScenes(dir.Path, 2, exposures: 5, evStep: 1);
        foreach (var f in Directory.GetFiles(root, KalantariScene.GroundTruthFile, SearchOption.AllDirectories)) File.Delete(f);
        var source = new BracketFolderSource(root, exposures: 3);

        var scene = source.Scene(0);
        Assert.False(scene.Labelled);
        Assert.Null(scene.GroundTruth);
        Assert.Equal([0.0, 2.0, 4.0], scene.Stops); // the −2/0/+2 EV frames of a 0…4 EV five-frame bracket
        Assert.Equal(1, scene.ReferenceIndex);

        using var scope = torch.NewDisposeScope();
        using var loader = new PatchLoader(source, Options(AugmentationOptions.Weak));
        using var batch = loader.Make(0);
        Assert.Null(batch.Target);
        Assert.All(batch.Labelled, Assert.False);
        Assert.Equal(new long[] { 4, 3, 6, 16, 16 }, batch.Inputs.shape);
        Assert.Null(batch.LabelledOnly());
        AssertPlacementsReproduceTheBatch(batch, id => source.Scene(id == "s00" ? 0 : 1));
    }

    [Fact]
    public void BracketsWithoutExposuresOfTheirOwnTakeTheFallbackStopsOnly()
    {
        using var dir = new TestData.TempDir();
        var root = WriteScenes(dir.Path, 1);
        foreach (var f in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tif"))) File.Delete(f);

        Assert.Throws<InvalidDataException>(() => new BracketFolderSource(root, 3).Scene(0));
        var scene = new BracketFolderSource(root, 3, fallbackStops: [-2, 0, 2]).Scene(0);
        Assert.Equal([0.0, 2.0, 4.0], scene.Stops); // counted from the shortest, as every source's
    }

    [Fact]
    public void LabelledSubsetByCountOrPercentIsFixedBySeed()
    {
        var five = new LabelledSubset { Count = 5, Seed = 1 }.Pick(74);
        Assert.Equal(5, five.Count(l => l));
        Assert.Equal(five, new LabelledSubset { Count = 5, Seed = 1 }.Pick(74));
        Assert.NotEqual(five, new LabelledSubset { Count = 5, Seed = 2 }.Pick(74));
        Assert.Equal(5, new LabelledSubset { Percent = 6.7, Seed = 1 }.Pick(74).Count(l => l)); // the paper's 6.7 % of 74
        Assert.Equal(1, new LabelledSubset { Percent = 0.1 }.Pick(74).Count(l => l));
        Assert.All(LabelledSubset.All.Pick(4), Assert.True);
        Assert.All(LabelledSubset.None.Pick(4), Assert.False);
        Assert.Throws<ArgumentException>(() => new LabelledSubset { Count = 1, Percent = 5 }.Pick(4));

        var scenes = new LabelledScenes(new SimulatedSceneSource(Simulator(), 4, count: 10), new LabelledSubset { Percent = 30, Seed = 3 });
        var labelled = scenes.All().Where(s => s.Labelled).Select(s => s.Id).ToArray();
        Assert.Equal(3, labelled.Length);
        Assert.Equal(labelled, new LabelledScenes(new SimulatedSceneSource(Simulator(), 4, count: 10), new LabelledSubset { Percent = 30, Seed = 3 })
            .All().Where(s => s.Labelled).Select(s => s.Id));
    }

    [Fact]
    public void MixedSourcesGiveBatchesWithLabelledAndUnlabelledRows()
    {
        using var dir = new TestData.TempDir();
        var brackets = WriteScenes(Path.Combine(dir.Path, "brackets"), 2);
        foreach (var f in Directory.GetFiles(brackets, KalantariScene.GroundTruthFile, SearchOption.AllDirectories)) File.Delete(f);
        var mixed = new ConcatenatedScenes([new SimulatedSceneSource(Simulator(), 4, count: 2), new BracketFolderSource(brackets, 3)]);
        Assert.Equal(4, mixed.Count);
        Assert.Equal(["0/scene0000", "0/scene0001", "1/s00", "1/s01"], mixed.All().Select(s => s.Id));
        Assert.Equal([true, true, false, false], mixed.All().Select(s => s.Labelled));

        using var scope = torch.NewDisposeScope();
        using var loader = new PatchLoader(mixed, Options(AugmentationOptions.Weak, batch: 8));
        using var batch = loader.Make(0);
        Assert.Contains(true, batch.Labelled);
        Assert.Contains(false, batch.Labelled);
        Assert.Null(batch.Segments); // the brackets have no segment maps, so the batch carries none
        for (int i = 0; i < batch.Size; i++)
            if (!batch.Labelled[i]) Assert.Equal(0f, batch.Target![i].abs().max().item<float>());
        var labelled = batch.LabelledOnly()!;
        Assert.Equal(batch.Labelled.Count(l => l), (int)labelled.Size);
        Assert.All(labelled.SceneIds, id => Assert.StartsWith("0/", id));
        Assert.True(labelled.Target!.SameAs(batch.Target![torch.tensor(Enumerable.Range(0, 8).Where(i => batch.Labelled[i]).Select(i => (long)i).ToArray())]));
    }

    [Fact]
    public void AugmentLevelsDrawTheirTransforms()
    {
        using var scope = torch.NewDisposeScope();
        var source = new SimulatedSceneSource(Simulator(), 4, count: 2);
        PatchTransform[] Draw(string level)
        {
            using var loader = new PatchLoader(source, Options(AugmentationOptions.Named(level), batch: 8));
            return Enumerable.Range(0, 3).SelectMany(b => { using var batch = loader.Make(b); return batch.Samples.Select(s => s.Transform); }).ToArray();
        }
        Assert.All(Draw("none"), t => Assert.Equal(PatchTransform.Identity with { ChannelOrder = t.ChannelOrder }, t));
        Assert.All(Draw("none"), t => Assert.True(t.IsColourIdentity));
        var weak = Draw("weak");
        Assert.All(weak, t => Assert.True(t.IsColourIdentity));
        Assert.Contains(weak, t => t.Rotations > 0 || t.FlipHorizontal || t.FlipVertical);
        Assert.Contains(Draw("strong"), t => !t.IsColourIdentity);
        Assert.Equal(AugmentationOptions.Weak, AugmentationOptions.Named("true"));
        Assert.Equal(AugmentationOptions.None, AugmentationOptions.Named("false"));
        Assert.Throws<ArgumentException>(() => AugmentationOptions.Named("medium"));
    }

    [Fact]
    public void SimulatedSceneIsTheSimulatorsSceneAndItsCacheFolderIsReused()
    {
        using var dir = new TestData.TempDir();
        var simulator = Simulator();
        var onTheFly = new SimulatedSceneSource(simulator, seed: 4, count: 2, start: 5);
        var expected = simulator.Simulate(4, 6);
        Assert.Equal(expected.Name, onTheFly.Scene(1).Id);
        Assert.Equal(expected.Frames[0].Data, onTheFly.Scene(1).Frames[0].Data);

        var cache = Path.Combine(dir.Path, "cache");
        var first = new SimulatedSceneSource(simulator, 4, 2, 5, cache).Scene(1);
        Assert.True(File.Exists(Path.Combine(cache, "scene0006", KalantariScene.ProvenanceFile)));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(cache, "scene0006", KalantariScene.GroundTruthFile));
        var again = new SimulatedSceneSource(simulator, 4, 2, 5, cache).Scene(1);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(cache, "scene0006", KalantariScene.GroundTruthFile)));
        Assert.Equal(first.GroundTruth!.Data, again.GroundTruth!.Data);
        Assert.Equal(KalantariScene.Read(Path.Combine(cache, "scene0006")).Frames[2].Data, again.Frames[2].Data);
    }
}
