using HdrKit.Models;
using HdrKit.Inference;
using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Tests.Inference;

public class TiledInferenceTests
{
    /// <summary>
    /// Fully convolutional stand-in: two k×k convs over the concatenated exposures, so its receptive-field radius
    /// is k − 1 (2 for k = 3) and a 1×1 version is pointwise.
    /// </summary>
    private sealed class ConvNet : HdrNetwork
    {
        private readonly Conv2d conv1, conv2;
        private readonly int padMultiple;

        public ConvNet(int kernel, int padMultiple = 1) : base(nameof(ConvNet))
        {
            this.padMultiple = padMultiple;
            conv1 = nn.Conv2d(18, 8, kernel, padding: kernel / 2);
            conv2 = nn.Conv2d(8, 3, kernel, padding: kernel / 2);
            RegisterComponents();
        }

        public override NetworkInputSpec InputSpec => new(InputOrder.LinearFirst, [3], padMultiple);

        public override IReadOnlyList<FeatureInfo> FeatureInfo => [];

        public override HdrForward ForwardWithFeatures(Tensor exposures)
        {
            long b = exposures.shape[0], h = exposures.shape[3], w = exposures.shape[4];
            if (h % padMultiple != 0 || w % padMultiple != 0) throw new ArgumentException($"{h}×{w} is not padded to {padMultiple}");
            var y = torch.sigmoid(conv2.forward(torch.nn.functional.relu(conv1.forward(exposures.reshape(b, 18, h, w)))));
            return new HdrForward(y, new Dictionary<string, Tensor>());
        }
    }

    /// <summary>
    /// As the default model (SAFNet without its refine net) does: its output is also one of its features, computed
    /// in its own dispose scope; it checks that every earlier tile's output was released before this tile.
    /// </summary>
    private sealed class OutputIsAFeature() : HdrNetwork(nameof(OutputIsAFeature))
    {
        public List<Tensor> Outputs { get; } = [];

        public override NetworkInputSpec InputSpec => new(InputOrder.LinearFirst, [3], 1);

        public override IReadOnlyList<FeatureInfo> FeatureInfo => [new("merged", 3, 1)];

        public override HdrForward ForwardWithFeatures(Tensor exposures)
        {
            Assert.All(Outputs, o => Assert.True(o.IsInvalid, "an earlier tile's output is still alive"));
            using var scope = torch.NewDisposeScope();
            var merged = exposures[.., 1, 3..6].mul(Scalars.Of(0.5));
            Outputs.Add(merged);
            return HdrForward.MovedOut(merged, new Dictionary<string, Tensor> { ["merged"] = merged });
        }
    }

    private static Tensor Untiled(HdrNetwork model, Tensor x) =>
        new TiledInference(model, new TileOptions(TileSize: 4096, Overlap: 0)).Run(x);

    [Fact]
    public void Tiled_equals_untiled_when_the_receptive_field_fits_in_the_overlap()
    {
        torch.manual_seed(1);
        using var model = new ConvNet(3, padMultiple: 8);
        using var x = torch.rand([1, 3, 6, 131, 77]);

        var whole = Untiled(model, x);
        int calls = 0;
        var tiled = new TiledInference(model, new TileOptions(TileSize: 40, Overlap: 16)).Run(x, p => { calls++; Assert.True(p.Done <= p.Total); });

        Assert.Equal([1L, 3, 131, 77], tiled.shape);
        Assert.True(calls > 4, $"expected several tiles, got {calls}");
        TensorAssert.Close(whole, tiled, 1e-5, "tiled vs untiled");
    }

    [Fact]
    public void Without_margin_the_tile_borders_would_show()
    {
        // Guards the test above: with an overlap too small for the receptive field, tiling must differ.
        torch.manual_seed(1);
        using var model = new ConvNet(3);
        using var x = torch.rand([1, 3, 6, 64, 64]);
        var tiled = new TiledInference(model, new TileOptions(TileSize: 24, Overlap: 4)).Run(x);
        Assert.True(TensorAssert.MaxAbsDiff(Untiled(model, x), tiled) > 1e-4);
    }

    [Fact]
    public void Constant_input_gives_a_constant_output_without_seams()
    {
        using var model = new ConvNet(1);
        using var x = torch.full([1, 3, 6, 100, 90], Scalars.Of(0.3f));
        var y = new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 12)).Run(x);
        var reference = y[0, .., 0, 0].reshape(1, 3, 1, 1);
        TensorAssert.Close(reference.expand_as(y), y, 1e-6, "constant output");
    }

    [Fact]
    public void A_tile_larger_than_the_image_and_batched_tiles_give_the_same_result()
    {
        torch.manual_seed(2);
        using var model = new ConvNet(3, padMultiple: 4);
        using var x = torch.rand([2, 3, 6, 30, 41]);
        var whole = Untiled(model, x);
        TensorAssert.Close(whole, new TiledInference(model, new TileOptions(TileSize: 512, Overlap: 64)).Run(x), 1e-6, "one big tile");

        using var single = torch.rand([1, 3, 6, 70, 50]);
        var one = new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 16, BatchTiles: 1)).Run(single);
        var three = new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 16, BatchTiles: 3)).Run(single);
        TensorAssert.Close(Untiled(model, single), one, 1e-5, "batch 1");
        TensorAssert.Close(one, three, 1e-5, "batch 3");

        // Reflect padding changes what the network sees beyond the border (70 → 72 rows), so compare like with like.
        var reflectWhole = new TiledInference(model, new TileOptions(TileSize: 4096, Overlap: 0, Padding: "reflect")).Run(single);
        var reflectTiled = new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 16, BatchTiles: 3, Padding: "reflect")).Run(single);
        TensorAssert.Close(reflectWhole, reflectTiled, 1e-5, "reflect padding");
        Assert.True(TensorAssert.MaxAbsDiff(one, reflectTiled) > 1e-4, "reflect and replicate padding should differ near the padded border");
    }

    [Fact]
    public void Images_within_the_whole_image_budget_run_as_one_padded_tile()
    {
        torch.manual_seed(3);
        using var model = new ConvNet(3, padMultiple: 8);
        using var x = torch.rand([1, 3, 6, 50, 70]);
        int total = 0;
        // 56 × 72 padded pixels: just inside the budget → one tile; one pixel less → tiles.
        var whole = new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 16, WholeImagePixels: 56 * 72)).Run(x, p => total = p.Total);
        Assert.Equal(1, total);
        TensorAssert.Close(Untiled(model, x), whole, 1e-6, "whole-image budget");
        new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 16, WholeImagePixels: 56 * 72 - 1)).Run(x, p => total = p.Total);
        Assert.True(total > 1, $"expected tiles below the budget, got {total}");
        using var ahdr = ModelRegistry.Create("ahdrnet-small");
        Assert.Equal(8, TileOptions.For(ahdr).MultipleFor(model));
        Assert.Equal(32, new TileOptions(Multiple: 32).MultipleFor(model));
        using var safnet = ModelRegistry.Create("safnet-s-tiny");
        Assert.Equal(32, TileOptions.For(safnet).Multiple); // whole images align at exactly half resolution, as tiles do
        Assert.Equal(1, TileOptions.For(ahdr).Multiple);
    }

    [Fact]
    public void Each_tiles_output_is_released_before_the_next_tile_even_when_it_is_also_a_feature()
    {
        using var model = new OutputIsAFeature();
        using var x = torch.rand([1, 3, 6, 70, 50]);
        var y = new TiledInference(model, new TileOptions(TileSize: 32, Overlap: 16)).Run(x);
        Assert.True(model.Outputs.Count > 4, $"expected several tiles, got {model.Outputs.Count}");
        TensorAssert.Close(x[.., 1, 3..6] * Scalars.Of(0.5), y, 1e-6, "pointwise output");
    }

    [Fact]
    public void Tiles_take_the_shape_that_runs_the_fewest_pixels_within_the_tile_area()
    {
        // Pingpong padded to 1920×1088, SAFNet's defaults: three 1088 × 832 tiles instead of six 1024².
        Assert.Equal((1088L, 832L), TiledInference.TileShape(1088, 1920, 1024, 256, 32));
        var random = new Random(5);
        for (int k = 0; k < 200; k++)
        {
            long h = 32 * random.Next(2, 200), w = 32 * random.Next(2, 200);
            int side = 32 * random.Next(4, 40), overlap = 32 * random.Next(0, side / 64);
            var (th, tw) = TiledInference.TileShape(h, w, side, overlap, 32);
            Assert.True(th * tw <= (long)side * side || (th <= side && tw <= side), $"{h}x{w} side {side}: {th}x{tw} exceeds the tile area");
            Assert.True(th <= h && tw <= w && th % 32 == 0 && tw % 32 == 0, $"{h}x{w}: {th}x{tw}");
            long Cost(long a, long b) => TiledInference.Starts(h, a, overlap).Count * a * TiledInference.Starts(w, b, overlap).Count * b;
            Assert.True(Cost(th, tw) <= Cost(Math.Min(side, h), Math.Min(side, w)), "never more pixels than square tiles");
        }
    }

    [Fact]
    public void Tile_origins_cover_the_axis_with_full_size_tiles()
    {
        Assert.Equal([0L], TiledInference.Starts(100, 128, 16));
        Assert.Equal([0L, 48, 52], TiledInference.Starts(116, 64, 16));
        Assert.Throws<ArgumentException>(() => new TiledInference(new ConvNet(1), new TileOptions(TileSize: 32, Overlap: 32)));
    }

    [Fact]
    public void SAFNet_defaults_use_tiles_that_halve_exactly()
    {
        using var model = ModelRegistry.Create("safnet-s-tiny");
        var options = TileOptions.For(model);
        Assert.Equal(0, options.TileSize % 32);
        Assert.True(options.Overlap >= 32);
        Assert.Equal(1024, options.TileSize);
        using var ahdr = ModelRegistry.Create("ahdrnet-small");
        Assert.Equal(512, TileOptions.For(ahdr).TileSize);
    }
}
