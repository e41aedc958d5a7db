using HdrKit.Training.Components;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Components;

public sealed class PseudoLabelCacheTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("hdrkit-plcache-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Each_scene_is_refreshed_once_per_epoch()
    {
        using var cache = new PseudoLabelCache();
        string[] scenes = ["a", "b"];
        int teacherRuns = 0;
        for (int epoch = 1; epoch <= 3; epoch++)
            for (int pass = 0; pass < 4; pass++) // several batches of the same scenes in one epoch
                foreach (var id in scenes)
                    if (cache.NeedsRefresh(id, epoch))
                    {
                        teacherRuns++;
                        using var label = full(new long[] { 3, 4, 4 }, Scalars.Of((float)epoch));
                        cache.Store(id, epoch, new Dictionary<string, Tensor> { ["label"] = label });
                    }
        Assert.Equal(6, teacherRuns);
        Assert.True(cache.TryGet("a", out var entry));
        Assert.Equal(3, entry.Epoch);
        Assert.Equal(3f, entry.Tensors["label"].max().item<float>());
    }

    [Fact]
    public void Stored_tensors_are_copies_and_crops_take_the_patch()
    {
        using var cache = new PseudoLabelCache();
        using var label = arange(Scalars.Of(2 * 5 * 6), dtype: ScalarType.Float32).view(2, 5, 6);
        cache.Store("s", 1, new Dictionary<string, Tensor> { ["label"] = label });
        label.fill_(Scalars.Of(-1));
        using var crop = cache.Crop("s", "label", top: 1, left: 2, height: 3, width: 2);
        Assert.Equal(new long[] { 2, 3, 2 }, crop.shape);
        Assert.Equal(new float[] { 8, 9, 14, 15, 20, 21, 38, 39, 44, 45, 50, 51 }, crop.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => cache.Crop("s", "label", 3, 0, 3, 2));
    }

    [Fact]
    public void Cached_tensors_outlive_the_callers_dispose_scope()
    {
        using var cache = new PseudoLabelCache();
        using (var scope = NewDisposeScope())
        {
            var label = ones(3, 2, 2) * Scalars.Of(7);
            cache.Store("s", 1, new Dictionary<string, Tensor> { ["label"] = label });
        }
        Assert.True(cache.TryGet("s", out var e));
        Assert.Equal(7f, e.Tensors["label"].max().item<float>());
    }

    [Fact]
    public void Save_and_load_restore_ids_epochs_and_tensors()
    {
        using var cache = new PseudoLabelCache();
        manual_seed(1);
        using var label = rand(3, 8, 8);
        using var sigma = rand(1, 8, 8);
        cache.Store("train/scene 01", 4, new Dictionary<string, Tensor> { ["label"] = label, ["sigma"] = sigma });
        cache.Store("real/pingpong", 5, new Dictionary<string, Tensor> { ["label"] = label * Scalars.Of(2) });
        var path = Path.Combine(dir, "cache.safetensors");
        cache.Save(path);
        using var loaded = PseudoLabelCache.Load(path);
        Assert.Equal(2, loaded.Count);
        Assert.False(loaded.NeedsRefresh("train/scene 01", 4));
        Assert.True(loaded.NeedsRefresh("real/pingpong", 6));
        Assert.True(loaded.TryGet("train/scene 01", out var e));
        Assert.Equal(4, e.Epoch);
        TensorAssert.Exact(label, e.Tensors["label"], "label");
        TensorAssert.Exact(sigma, e.Tensors["sigma"], "sigma");
        Assert.True(loaded.TryGet("real/pingpong", out var p));
        using var doubled = label * Scalars.Of(2);
        TensorAssert.Exact(doubled, p.Tensors["label"], "second scene");
    }
}
