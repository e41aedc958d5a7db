using HdrKit.Util;
using System.Text.Json;
using HdrKit.Models;
using HdrKit.Models.SafNet;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

public class SafNetTests
{
    /// <summary>Stacks img0_c..img2_c ([1, 6, H, W] each, the reference's forward arguments) into [1, 3, 6, H, W].</summary>
    private static Tensor StackInputs(IReadOnlyDictionary<string, Tensor> file, string prefix) =>
        torch.stack([file[prefix + "img0_c"], file[prefix + "img1_c"], file[prefix + "img2_c"]], 1);

    private static (Tensor Refined, Tensor Merged) Run(SafNet model, Tensor input)
    {
        model.eval();
        using var _ = torch.no_grad();
        var result = model.ForwardWithFeatures(input);
        return (result.Output, result.Features["merged"]);
    }

    [Fact]
    public void Matches_the_authors_code_with_the_released_SAFNet_S_weights()
    {
        var pth = TestData.SharedOrSkip("models", "safnet-s", "SAFNet_S_siggraph17.pth");
        var parity = SafeTensors.Load(TestData.SharedOrSkip("parity", "safnet_s_parity.safetensors"), out var meta);
        Assert.Contains("scale_factor=0.5", meta["reference"]);

        using var model = (SafNet)ModelRegistry.Create("safnet-s");
        var loaded = StateDictLoader.Load(model, PthImporter.Load(pth), source: "SAFNet_S_siggraph17.pth");
        Assert.Equal(61, loaded.Loaded.Count);
        Assert.Equal(566_713, model.ParameterCount());

        var (refined, merged) = Run(model, StackInputs(parity, ""));
        double dm = TensorAssert.MaxAbsDiff(parity["img_hdr_m"], merged), dr = TensorAssert.MaxAbsDiff(parity["img_hdr_r"], refined);
        TestContext.Current.TestOutputHelper?.WriteLine($"SAFNet-S parity, 256×256 real crop: max|Δ| img_hdr_m {dm:g3}, img_hdr_r {dr:g3}");
        TensorAssert.Close(parity["img_hdr_m"], merged, 1e-4, "img_hdr_m");
        TensorAssert.Close(parity["img_hdr_r"], refined, 1e-4, "img_hdr_r");
    }

    [Fact]
    public void Full_SAFNet_has_the_reference_state_dict_and_matches_it_with_formula_weights()
    {
        var parity = SafeTensors.Load(TestData.Fixture("Models", "safnet_formula_parity.safetensors"), out var meta);
        using var model = (SafNet)ModelRegistry.Create("safnet");

        var shapes = JsonSerializer.Deserialize<Dictionary<string, long[]>>(meta["shapes"])!;
        var ours = model.state_dict();
        Assert.Equal(shapes.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in shapes) Assert.Equal(shape, ours[name].shape);
        Assert.Equal(long.Parse(meta["param_count"]), model.ParameterCount());

        // The generator's formula (make_safnet_parity.py): k-th key in sorted order, element i → s·sin(0.618 i + 1.3 k).
        var weights = new Dictionary<string, Tensor>();
        int k = 0;
        foreach (var name in shapes.Keys.Order(StringComparer.Ordinal))
        {
            var shape = shapes[name];
            long n = shape.Aggregate(1L, (a, b) => a * b);
            double scale = shape.Length >= 2 ? 1.0 / Math.Sqrt((double)n / shape[0]) : 0.1;
            var values = new float[n];
            for (long i = 0; i < n; i++) values[i] = (float)(scale * Math.Sin(0.618 * i + 1.3 * k));
            weights[name] = torch.tensor(values).reshape(shape);
            k++;
        }
        StateDictLoader.Load(model, weights);

        var (refined, merged) = Run(model, StackInputs(parity, "in."));
        double dm = TensorAssert.MaxAbsDiff(parity["out.img_hdr_m"], merged), dr = TensorAssert.MaxAbsDiff(parity["out.img_hdr_r"], refined);
        TestContext.Current.TestOutputHelper?.WriteLine($"SAFNet parity, 40×72 formula weights: max|Δ| img_hdr_m {dm:g3}, img_hdr_r {dr:g3}");
        TensorAssert.Close(parity["out.img_hdr_m"], merged, 1e-4, "img_hdr_m");
        TensorAssert.Close(parity["out.img_hdr_r"], refined, 1e-4, "img_hdr_r");
    }

    [Fact]
    public void Exposes_its_features_with_the_advertised_shapes_and_backpropagates()
    {
        using var model = (SafNet)ModelRegistry.Create("safnet-s-tiny");
        Assert.Equal(ExposureTimeOrigin.ShortestIsOne, model.InputSpec.ExposureTimeOrigin);
        Assert.Equal(InputOrder.LinearFirst, model.InputSpec.Order);
        using var x = torch.rand([2, 3, 6, 36, 52]);
        var result = model.ForwardWithFeatures(x);

        Assert.Equal([2L, 3, 36, 52], result.Output.shape);
        // 36×52 is off the encoder's grid (its taps are checked in FeatureTapTests): the full-resolution ones here.
        foreach (var info in model.FeatureInfo.Where(f => f.Reduction == 1))
            Assert.Equal([2L, info.Channels, 36 / info.Reduction, 52 / info.Reduction], result.Features[info.Name].shape);
        Assert.True(result.Output.min().item<float>() >= 0f && result.Output.max().item<float>() <= 1f);

        result.Output.mean().backward();
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("refinenet.")), p => Assert.NotNull(p.parameter.grad));
    }

    [Fact]
    public void With_every_gate_on_it_merges_the_same_with_and_without_autograd_and_backpropagates()
    {
        // Gates and merge overwrite their temporaries only when no gradient is recorded (InPlace): the two paths must
        // agree bit for bit, and the recorded one must still reach the alignment decoder through the gated masks.
        torch.manual_seed(11);
        using var model = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, ConsistencyTolerance = 0.1, StructureTolerance = 0.15, ClippedFloor = true });
        using var radiance = torch.rand([2, 3, 48, 64]) * Scalars.Of(0.4);
        var exposures = new[] { 1.0, 4.0, 16.0 }.Select((t, i) =>
        {
            // 8-bit codes of a γ-2.2 camera, the long exposure shifted by 5 pixels so that the gates reject part of it.
            var scene = i == 2 ? radiance.roll(5, 3) : radiance;
            var ldr = ((scene * Scalars.Of(t)).pow(Scalars.Of(1 / 2.2)).clamp(Scalars.Of(0), Scalars.Of(1)) * Scalars.Of(255)).round() / Scalars.Of(255);
            return torch.cat([ldr.pow(Scalars.Of(2.2)) / Scalars.Of(t), ldr], 1);
        }).ToArray();
        using var x = torch.stack(exposures, 1);

        Tensor inference;
        using (torch.no_grad()) inference = model.forward(x);
        var recorded = model.forward(x);
        Assert.Equal(0f, (recorded - inference).abs().max().item<float>());
        Assert.True(model.ForwardWithFeatures(x).Features["mask2"].min().item<float>() < 0.5f, "the shifted exposure should be gated somewhere");

        recorded.mean().backward();
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("decoder.")), p => Assert.True(p.parameter.grad is { } g && g.abs().sum().item<float>() > 0, p.name));
    }

    [Fact]
    public void At_inference_a_gated_forward_leaves_only_its_output_in_the_callers_scope()
    {
        // Overwritten temporaries are their operands (InPlace): moved out of a scope they were not made in, one would
        // climb a scope per call and outlive the merge. The merge is the whole image's heap, so nothing may escape.
        torch.manual_seed(5);
        using var model = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, ConsistencyTolerance = 0.1, StructureTolerance = 0.15, ClippedFloor = true, Refine = false });
        var ldr = (torch.rand([1, 3, 3, 40, 56]) * Scalars.Of(255)).round() / Scalars.Of(255);
        using var x = torch.cat([ldr.pow(Scalars.Of(2.2)), ldr], 2);
        using var _ = torch.no_grad();
        using (torch.NewDisposeScope()) model.forward(x); // first use: cached scalars and the like
        using var scope = torch.NewDisposeScope();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var output = model.forward(x);
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal([1L, 3, 40, 56], output.shape);
    }

    [Theory]
    [InlineData("safnet-s-tiny")]
    [InlineData("safnet")]
    public void A_freshly_built_network_outputs_its_explicit_merge(string name)
    {
        // Zero-initialised residual head: training starts from the merge instead of from noise added to it.
        using var model = ModelRegistry.Create(name);
        using var x = torch.rand([1, 3, 6, 32, 48]);
        using var _ = torch.no_grad();
        var result = model.ForwardWithFeatures(x);

        Assert.True(result.Output.allclose(result.Features["merged"].clamp(Scalars.Of(0), Scalars.Of(1)), 0, 0));
        Assert.False(result.Features["body"].abs().max().item<float>() == 0f, "the refiner's features are not all zero, only its output head");
    }

    [Fact]
    public void Rejects_other_exposure_counts()
    {
        using var model = ModelRegistry.Create("safnet-s-tiny");
        Assert.Throws<ArgumentException>(() => model.forward(torch.rand([1, 5, 6, 32, 32])));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create("safnet-s", new ModelOptions { Exposures = 5 }));
    }
}
