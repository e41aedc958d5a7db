using HdrKit.Data;
using HdrKit.Models;
using HdrKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Data;

public sealed class LabelledQuotaTests
{
    private static readonly LabelledSubset TwoOfTen = new() { Count = 2, Seed = 3 };

    /// <summary>Ten small simulated scenes, two of which keep their ground truth.</summary>
    private static LabelledScenes Scenes() => new(new SimulatedSceneSource(
        new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 24, Height = 20, Exposures = 3, Camera = CameraRanges.Kalantari }), 4, count: 10), TwoOfTen);

    private static LoaderOptions Options(int? quota, int batch = 4) => new()
    {
        BatchSize = batch, PatchSize = 16, Workers = 1, Augmentation = AugmentationOptions.Weak, Seed = 9, LabelledPerBatch = quota,
    };

    private static List<PatchPlacement[]> Rows(ISceneSource scenes, LoaderOptions options, int batches)
    {
        using var scope = torch.NewDisposeScope();
        using var loader = new PatchLoader(scenes, options);
        var rows = new List<PatchPlacement[]>();
        for (int i = 0; i < batches; i++)
        {
            using var batch = loader.Make(i);
            Assert.Equal(batch.Samples.Select(s => s.Labelled), batch.Labelled);
            rows.Add(batch.Samples.ToArray());
        }
        return rows;
    }

    [Fact]
    public void Sets_know_their_labelled_scenes_without_reading_them()
    {
        var scenes = Scenes();
        Assert.Equal(scenes.All().Select(s => s.Labelled), Enumerable.Range(0, scenes.Count).Select(scenes.IsLabelled));
        Assert.Equal(2, Enumerable.Range(0, scenes.Count).Count(scenes.IsLabelled));
        var mixed = new ConcatenatedScenes([scenes, new SimulatedSceneSource(new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 24, Height = 20 }), 5, count: 3)]);
        Assert.Equal(mixed.All().Select(s => s.Labelled), Enumerable.Range(0, mixed.Count).Select(mixed.IsLabelled));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_batch_holds_exactly_k_labelled_rows_first(int k)
    {
        var labelledIds = Scenes().All().Where(s => s.Labelled).Select(s => s.Id).ToHashSet();
        var batches = Rows(Scenes(), Options(k), 24);
        Assert.All(batches, rows => Assert.Equal(Enumerable.Range(0, 4).Select(i => i < k), rows.Select(r => r.Labelled)));
        var unlabelled = batches.SelectMany(rows => rows.Skip(k)).Select(r => r.SceneId).ToHashSet();
        Assert.DoesNotContain(unlabelled, labelledIds.Contains);
        Assert.True(unlabelled.Count >= 6, $"unlabelled rows drew only {unlabelled.Count} of the 8 unlabelled scenes");
        Assert.Equal(labelledIds, batches.SelectMany(rows => rows.Take(k)).Select(r => r.SceneId).ToHashSet());
    }

    [Fact]
    public void Without_the_option_rows_sample_all_scenes_uniformly()
    {
        var counts = Rows(Scenes(), Options(null), 24).Select(rows => rows.Count(r => r.Labelled)).ToList();
        Assert.Contains(0, counts); // at 2 of 10 labelled, uniform 4-row batches are often without a label
        Assert.True(counts.Distinct().Count() > 1);
        Assert.Null(PatchBatchSource.OptionsFor(TrainingConfig.Parse("data: { batch_size: 4 }").Data, new NetworkInputSpec(InputOrder.LinearFirst, [3], 4), 1).LabelledPerBatch);
    }

    [Fact]
    public void A_quota_of_the_whole_batch_trains_on_the_labelled_scenes_only()
    {
        var all = new SimulatedSceneSource(new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 24, Height = 20 }), 4, count: 3);
        Assert.All(Rows(Scenes(), Options(4), 6).SelectMany(r => r), r => Assert.True(r.Labelled));
        Assert.All(Rows(all, Options(4), 2).SelectMany(r => r), r => Assert.True(r.Labelled));
    }

    [Fact]
    public void A_quota_the_scenes_cannot_meet_fails_when_the_source_is_made()
    {
        var all = new SimulatedSceneSource(new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 24, Height = 20 }), 4, count: 3);
        Assert.Contains("every training scene is labelled", Assert.Throws<ArgumentException>(() => new PatchBatchSource(all, Options(1))).Message);
        var none = new LabelledScenes(all, LabelledSubset.None);
        Assert.Contains("no training scene keeps its ground truth", Assert.Throws<ArgumentException>(() => new PatchBatchSource(none, Options(1))).Message);
        var endless = new SyntheticSceneSource(new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 24, Height = 20 }), 4);
        Assert.Contains("finite scene set", Assert.Throws<ArgumentException>(() => new PatchBatchSource(endless, Options(1))).Message);
        Assert.Throws<ArgumentException>(() => new PatchBatchSource(Scenes(), Options(5)));
    }

    [Fact]
    public void A_jump_gives_the_batch_the_sequential_stream_gives()
    {
        using var scope = torch.NewDisposeScope();
        using var sequential = new PatchBatchSource(Scenes(), Options(1), batchesPerEpoch: 2);
        var batches = Enumerable.Range(0, 4).Select(i => sequential.GetBatch(i / 2, i % 2, CPU)).ToList();
        using var jumping = new PatchBatchSource(Scenes(), Options(1), batchesPerEpoch: 2);
        var third = jumping.GetBatch(1, 0, CPU);
        Assert.Equal(batches[2].Samples.Select(s => (s.SceneId, s.X, s.Y)), third.Samples.Select(s => (s.SceneId, s.X, s.Y)));
        Assert.True(third.Inputs.eq(batches[2].Inputs).all().item<bool>());
    }
}
