using System.Text.Json.Nodes;
using HdrKit.Data;
using HdrKit.Imaging;
using HdrKit.Models;
using HdrKit.Tests.Data;
using HdrKit.Training;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>The `data:` section: sources by type, labelled subsets, mixing, augment levels, old configs.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class DataConfigTests
{
    private static readonly NetworkInputSpec Spec = new(InputOrder.LinearFirst, [3], 4);

    private const string Mixed = """
        model: { name: test-tiny, exposures: 3 }
        data:
          sources:
            - { type: kalantari, path: KAL, labelled: { percent: 50, seed: 1 } }
            - { type: brackets, path: BRK, labelled: false }
          patch_size: 16
          batch_size: 4
          augment: strong
        """;

    private static string WriteScenes(string root, int count, bool groundTruth = true)
    {
        var simulator = new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 40, Height = 32, Camera = CameraRanges.Kalantari });
        for (int i = 0; i < count; i++)
        {
            var folder = Path.Combine(root, $"s{i:D2}");
            KalantariScene.Write(folder, simulator.Simulate(2, i));
            if (!groundTruth) File.Delete(Path.Combine(folder, KalantariScene.GroundTruthFile));
        }
        return root;
    }

    [Fact]
    public void MixedSourcesParseRoundTripAndValidate()
    {
        var c = TrainingConfig.Parse(Mixed);
        c.Validate();
        Assert.Equal(2, c.Data.Sources.Count);
        Assert.Equal(50, c.Data.Sources[0].Labelled.Percent);
        Assert.Equal(1, c.Data.Sources[0].Labelled.Seed);
        Assert.True(c.Data.Sources[1].Labelled.IsNone);
        Assert.Equal("strong", c.Data.Augment);
        var json = c.ToJson();
        Assert.Equal(json, TrainingConfig.Parse(json).ToJson());
        Assert.False((bool)JsonNode.Parse(json)!["data"]!["sources"]![1]!["labelled"]!);
        Assert.Equal(50, (double)JsonNode.Parse(json)!["data"]!["sources"]![0]!["labelled"]!["percent"]!);
    }

    [Theory]
    [InlineData("data: { kind: nope }", "unknown type 'nope'")]
    [InlineData("data: { kind: brackets }", "data.path is required")]
    [InlineData("data: { augment: medium }", "augment must be none, weak or strong")]
    [InlineData("data: { kind: kalantari, path: x, labelled: { count: 2, percent: 5 } }", "either a labelled count or a percentage")]
    [InlineData("data: { labelled: maybe }", "labelled must be true, false")]
    [InlineData("data: { batch_size: 4, labelled_per_batch: 5 }", "data.labelled_per_batch must lie in [0, data.batch_size = 4], got 5")]
    public void BadDataSectionsFailWithAReason(string data, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => TrainingConfig.Parse("model: { name: test-tiny }\n" + data).Validate());
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void StopsAreCheckedAgainstTheModelOnlyForDataWithoutStopsOfItsOwn()
    {
        var synthetic = TrainingConfig.Parse("model: { name: test-tiny, exposures: 3 }\ndata: { kind: synthetic, stops: [0, 2] }");
        Assert.Contains("data.stops lists 2 exposures", Assert.Throws<InvalidDataException>(() => synthetic.Validate()).Message);
        TrainingConfig.Parse("model: { name: test-tiny, exposures: 3 }\ndata: { kind: kalantari, path: x, stops: [0, 2] }").Validate();
    }

    [Fact]
    public void CommittedConfigsAndCheckpointSidecarsStillParse()
    {
        var root = RepoPaths.Root ?? throw new InvalidOperationException("tests run inside the repository");
        // The default model's stages were written before data sources had types; other configs (smhdr-*) simulate.
        var configs = Directory.GetFiles(Path.Combine(root, "configs"), "default-model-*.yaml");
        Assert.NotEmpty(configs);
        foreach (var path in configs)
        {
            var c = TrainingConfig.Load(path);
            c.Validate(path);
            // Method configs (semi-*.yaml…) mix sources and labels; the default model's stages are the old layout.
            if (!Path.GetFileName(path).StartsWith("default-model", StringComparison.Ordinal)) continue;
            Assert.Equal("kalantari", c.Data.EffectiveSources().Single().Type);
            Assert.Equal(AugmentationOptions.Weak, AugmentationOptions.Named(c.Data.Augment)); // augment: true
            Assert.True(c.Data.EffectiveSources().Single().Labelled.IsAll);
        }
        var sidecars = Directory.GetFiles(Path.Combine(root, "checkpoints"), "step-*.json", SearchOption.AllDirectories);
        Assert.NotEmpty(sidecars);
        foreach (var path in sidecars)
        {
            var c = TrainingConfig.Parse(JsonNode.Parse(File.ReadAllText(path))!["config"]!.ToJsonString(), path);
            c.Validate(path);
            // Old sidecars (no source types) still come out as one folder of simulated training scenes.
            Assert.Matches(@"^runs/train-(256|fc2?)$", c.Data.EffectiveSources().Single().Path);
        }
    }

    [Fact]
    public void OldBooleanAugmentMapsOntoTheLevels()
    {
        Assert.Equal(AugmentationOptions.Weak, PatchBatchSource.OptionsFor(TrainingConfig.Parse("data: { augment: true }").Data, Spec, 1).Augmentation);
        Assert.Equal(AugmentationOptions.None, PatchBatchSource.OptionsFor(TrainingConfig.Parse("data: { augment: false }").Data, Spec, 1).Augmentation);
        Assert.Equal(AugmentationOptions.Strong, PatchBatchSource.OptionsFor(TrainingConfig.Parse("data: { augment: strong }").Data, Spec, 1).Augmentation);
    }

    [Fact]
    public void AMixedConfigBuildsOneSceneSetThatEpochHooksIterate()
    {
        using var dir = new TestData.TempDir();
        var kal = WriteScenes(Path.Combine(dir.Path, "kal"), 2);
        var brk = WriteScenes(Path.Combine(dir.Path, "brk"), 2, groundTruth: false);
        var config = TrainingConfig.Parse(Mixed.Replace("KAL", kal).Replace("BRK", brk));
        var (train, validation) = TrainingData.Create(config, Spec);
        using var _ = (PatchBatchSource)train;
        Assert.Null(validation);

        var context = new EpochContext(0, config, train, validation, CPU);
        var scenes = context.Scenes!.All().ToList();
        Assert.Equal(["0/s00", "0/s01", "1/s00", "1/s01"], scenes.Select(s => s.Id));
        Assert.Equal(1, scenes.Take(2).Count(s => s.Labelled)); // 50 % of the labelled folder
        Assert.All(scenes.Skip(2), s => Assert.Null(s.GroundTruth));
        Assert.All(scenes.Take(2), s => Assert.NotNull(s.Segments)); // segments.png; the brackets have no semantic-bank cache
        Assert.All(scenes.Skip(2), s => Assert.Null(s.Segments));
        Assert.Equal(4 / 4, train.BatchesPerEpoch);

        using var scope = NewDisposeScope();
        var batch = train.GetBatch(0, 0, CPU);
        Assert.Equal(new long[] { 4, 3, 6, 16, 16 }, batch.Inputs.shape);
        Assert.Equal(batch.Labelled, batch.SceneIds.Select(id => scenes.Single(s => s.Id == id).Labelled));
    }

    [Fact]
    public void SimulateKindReachesTheSimulatorWithItsOptionsAndCache()
    {
        using var dir = new TestData.TempDir();
        var maps = Path.Combine(dir.Path, "maps");
        Directory.CreateDirectory(maps);
        foreach (var m in SyntheticMaps.Corpus()) RadianceHdr.Write(Path.Combine(maps, m.Name + ".hdr"), m.Image);
        var cache = Path.Combine(dir.Path, "cache");
        var config = TrainingConfig.Parse($$"""
            model: { name: test-tiny, exposures: 3 }
            data:
              type: simulate
              simulate: { preset: training, seed: 5, count: 3, start: 2, size: 48x32, ev_steps: [3], camera: ideal, motion: large, hdri: ["{{maps}}"], all_maps: true, cache: "{{cache}}" }
              patch_size: 16
              batch_size: 2
            """);
        config.Validate();
        var (train, _) = TrainingData.Create(config, Spec);
        using var source = (PatchBatchSource)train;
        var scenes = source.Scenes!.All().ToList();

        Assert.Equal(["scene0002", "scene0003", "scene0004"], scenes.Select(s => s.Id));
        Assert.All(scenes, s => Assert.Equal([0.0, 3.0, 6.0], s.Stops));
        Assert.All(scenes, s => Assert.Equal((48, 32), (s.Width, s.Height)));
        Assert.All(scenes, s => Assert.NotNull(s.MotionMask));
        Assert.Equal(3, Directory.GetDirectories(cache).Length);
        var expected = new BracketSimulator(HdrCorpus.Load([maps]).Maps, new SimulationSpec
        {
            Size = "48x32", EvSteps = [3.0], Camera = "ideal", Motion = "large", Exposures = 3,
        }.Options()).Simulate(5, 3);
        Assert.Equal(expected.Provenance, File.ReadAllLines(Path.Combine(cache, "scene0003", KalantariScene.ProvenanceFile)));
        using var scope = NewDisposeScope();
        var batch = train.GetBatch(0, 0, CPU);
        Assert.NotNull(batch.Segments);
        Assert.NotNull(batch.MotionMask);
    }

    [Fact]
    public void SupervisedTrainingUsesOnlyTheLabelledRowsOfAMixedBatch()
    {
        using var dir = new TestData.TempDir();
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 2);
        config.Data = TrainingConfig.Parse(Mixed.Replace("percent: 50", "count: 2")
            .Replace("KAL", WriteScenes(Path.Combine(dir.Path, "kal"), 2))
            .Replace("BRK", WriteScenes(Path.Combine(dir.Path, "brk"), 2, groundTruth: false))).Data;
        config.Data.BatchesPerEpoch = 2;
        using var trainer = new Trainer(config, Path.Combine(dir.Path, "run"));
        var result = trainer.Run(TestContext.Current.CancellationToken);
        Assert.Equal(2, result.Losses.Count);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l) && l >= 0));
        Assert.Contains(result.Losses, l => l > 0);
        // Batches of unlabelled samples only are steps without an update, logged as such.
        var records = MetricsLog.Read(Path.Combine(dir.Path, "run", "metrics.jsonl")).Where(r => (string?)r["kind"] == "train").ToList();
        Assert.All(records, r => Assert.Equal((double)r["loss"]! == 0, r["labelled_samples"] != null));
    }
}
