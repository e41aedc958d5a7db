using HdrKit.Models;
using HdrKit.Models.Blocks;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>Registry defaults, shapes, exposure counts, the feature API, training and the masking hook.</summary>
public class ZooModelTests
{
    [Theory]
    [InlineData("ahdrnet", 1_515_139)]
    [InlineData("hdr-transformer", 1_222_113)]
    [InlineData("smnet", 1_292_499)]
    // Small variants: counted on the authors' code built at the same sizes (nFeat 32 / 3 layers / growth 16;
    // embed 24, depths [2,2], heads [4,4]).
    [InlineData("ahdrnet-small", 251_315)]
    [InlineData("hdr-transformer-small", 122_943)]
    [InlineData("smnet-small", 77_943)]
    public void Registry_entry_has_the_reference_parameter_count(string name, long expected)
    {
        using var net = ModelRegistry.Create(name);
        Assert.Equal(expected, net.ParameterCount());
    }

    [Theory]
    [InlineData("safnet-s-tiny", "false")] // the default model's configuration: its output is its "merged" feature
    [InlineData("safnet-s-tiny", "true")]
    [InlineData("ahdrnet-small", null)]
    [InlineData("hdr-transformer-small", null)]
    [InlineData("smnet-small", null)]
    public void A_forward_pass_leaves_its_output_and_features_to_the_callers_scope_only(string name, string? refine)
    {
        using var net = ModelRegistry.Create(name, refine == null ? new ModelOptions() : new ModelOptions { Extra = new Dictionary<string, string> { ["refine"] = refine } });
        net.eval();
        using var noGrad = no_grad();
        using var x = rand([1, 3, 6, 32, 32]);
        using var outer = NewDisposeScope();
        HdrForward result;
        using (NewDisposeScope()) result = net.ForwardWithFeatures(x);
        // Anything still alive was handed past the caller's scope, and would live as long as its caller's caller.
        Assert.True(result.Output.IsInvalid, "the output outlived the caller's scope");
        Assert.All(result.Features, f => Assert.True(f.Value.IsInvalid, $"feature {f.Key} outlived the caller's scope"));
    }

    [Fact]
    public void Model_extras_parse_invariantly_and_a_bad_value_is_a_one_line_error_naming_the_key()
    {
        var options = new ModelOptions { Extra = new Dictionary<string, string> { ["heads"] = "3", ["window"] = "4", ["scale"] = "0.25", ["on"] = "True", ["bad"] = "4.5" } };
        Assert.Equal(3, options.ExtraInt("heads"));
        Assert.Equal(0.25, options.ExtraDouble("scale"));
        Assert.True(options.ExtraBool("on"));
        Assert.Null(options.ExtraInt("absent"));
        Assert.Equal("model option 'bad' must be an integer, got '4.5'", Assert.Throws<ArgumentException>(() => options.ExtraInt("bad")).Message);

        // The transformers read their head count and window from the extras.
        using var net = ModelRegistry.Create("hdr-transformer-small", options);
        using var wider = ModelRegistry.Create("hdr-transformer-small");
        Assert.NotEqual(wider.ParameterCount(), net.ParameterCount());
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("smnet-small", new ModelOptions { Extra = new Dictionary<string, string> { ["window"] = "eight" } }));
        Assert.Contains("'window'", e.Message);
    }

    [Fact]
    public void SmNet_conv_first_is_the_small_fine_tuning_share()
    {
        using var net = (SmNet)ModelRegistry.Create("smnet");
        long convFirst = net.ConvFirstParameters().Sum(p => p.numel());
        // 6·60·9+60 + 2·(60·60·9+60) = 68,220: the ~5.3% SMHDR fine-tunes for a new exposure count.
        Assert.Equal(68_220, convFirst);
        Assert.InRange(convFirst / (double)net.ParameterCount(), 0.05, 0.056);
    }

    [Theory]
    [InlineData("smnet", 1)]
    [InlineData("smnet", 5)]
    [InlineData("smnet-small", 2)]
    [InlineData("smnet-small", 3)]
    [InlineData("smnet-small", 4)]
    [InlineData("smnet-small", 5)]
    [InlineData("smnet-small", 6)]
    [InlineData("smnet-small", 7)]
    public void SmNet_takes_any_exposure_count(string name, int n)
    {
        manual_seed(11);
        using var net = ModelRegistry.Create(name);
        Assert.True(net.InputSpec.Accepts(n));
        net.eval();
        using var noGrad = no_grad();
        using var x = rand([1, n, 6, 16, 16]);
        using var y = net.forward(x);
        Assert.Equal(new long[] { 1, 3, 16, 16 }, y.shape);
        Assert.True(y.isfinite().all().item<bool>());
        // Every exposure reaches the output: changing a non-anchor frame changes the result.
        if (n > 1)
        {
            using var other = x.clone();
            other[0, 0] = rand([6, 16, 16]);
            using var y2 = net.forward(other);
            Assert.True(TensorAssert.MaxAbsDiff(y, y2) > 1e-6, $"n = {n}: the first exposure does not reach the output");
        }
    }

    [Fact]
    public void SmNet_declares_exactly_the_counts_it_runs()
    {
        using var net = ModelRegistry.Create("smnet-small");
        Assert.Equal(Enumerable.Range(1, 24), net.InputSpec.ExposureCounts!);
        using var x = rand([1, 25, 6, 8, 8]);
        Assert.Throws<ArgumentException>(() => net.forward(x));
    }

    [Fact]
    public void Windowed_models_reject_sizes_off_the_window_grid()
    {
        using var net = ModelRegistry.Create("hdr-transformer-small");
        Assert.Equal(8, net.InputSpec.PadMultiple);
        using var x = rand([1, 3, 6, 12, 16]);
        var e = Assert.Throws<ArgumentException>(() => net.forward(x));
        Assert.Contains("multiples of 8", e.Message);
    }

    [Theory]
    [InlineData("ahdrnet-small", 3)]
    [InlineData("hdr-transformer-small", 3)]
    [InlineData("smnet-small", 3)]
    [InlineData("smnet-small", 1)]
    public void Small_variant_trains(string name, int exposures)
    {
        manual_seed(3);
        using var net = ModelRegistry.Create(name);
        net.train();
        using var x = rand([2, exposures, 6, 16, 16]);
        using var target = rand(2, 3, 16, 16);
        using var y = net.forward(x);
        using var loss = (y - target).abs().mean();
        loss.backward();
        var missing = net.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name)
            .Where(n => !UnusedByReference(n)).ToList();
        Assert.True(missing.Count == 0, $"no gradient for: {string.Join(", ", missing)}");
        Assert.All(net.parameters().Where(p => p.grad is not null), p => Assert.True(p.grad!.isfinite().all().item<bool>()));
    }

    // Built by the references but never used in their forward passes (kept so checkpoints load by name):
    // AHDRNet's attConv1/attConv3 and ICAB's norm1_y. No gradient is correct for these and only these.
    private static bool UnusedByReference(string name) =>
        name.StartsWith("attConv", StringComparison.Ordinal) || name.Contains(".norm1_y.", StringComparison.Ordinal);

    [Theory]
    [InlineData("ahdrnet-small")]
    [InlineData("hdr-transformer-small")]
    [InlineData("smnet-small")]
    public void Features_have_the_documented_shapes(string name)
    {
        using var net = ModelRegistry.Create(name);
        net.eval();
        using var noGrad = no_grad();
        using var x = rand([2, 3, 6, 16, 24]);
        var result = net.ForwardWithFeatures(x);
        Assert.Equal(new long[] { 2, 3, 16, 24 }, result.Output.shape);
        Assert.Equal(net.FeatureInfo.Select(f => f.Name).Order(), result.Features.Keys.Order());
        Assert.Contains(net.FeatureInfo, f => f.Name == "fused");
        Assert.Contains(net.FeatureInfo, f => f.Name == "body");
        foreach (var info in net.FeatureInfo)
            Assert.Equal(new long[] { 2, info.Channels, 16 / info.Reduction, 24 / info.Reduction }, result.Features[info.Name].shape);
        using var direct = net.forward(x);
        TensorAssert.Exact(direct, result.Output, "forward vs ForwardWithFeatures");
    }

    private sealed class RecordingMasker : IFeatureMasker
    {
        public List<int> Groups { get; } = [];

        public Tensor Mask(Tensor features, int group)
        {
            Groups.Add(group);
            return features * Scalars.Of(0);
        }
    }

    [Fact]
    public void SmNet_masker_runs_once_per_group_in_training_and_never_in_eval()
    {
        manual_seed(5);
        using var net = ModelRegistry.Create("smnet-small");
        var sm = (SmNet)net;
        using var x = rand([1, 3, 6, 16, 16]);
        net.eval();
        using var noGrad = no_grad();
        using var plain = net.forward(x);

        var masker = new RecordingMasker();
        sm.FeatureMasker = masker;
        using var evalMasked = net.forward(x);
        Assert.Empty(masker.Groups);
        TensorAssert.Exact(plain, evalMasked, "eval output with a masker installed");

        net.train(); // no dropout or drop-path in these networks: train mode differs only by the masking
        using var trainMasked = net.forward(x);
        Assert.Equal(new[] { 0, 1 }, masker.Groups);
        Assert.True(TensorAssert.MaxAbsDiff(plain, trainMasked) > 1e-6, "masking all features changed nothing");

        sm.FeatureMasker = null;
        using var trainPlain = net.forward(x);
        TensorAssert.Close(plain, trainPlain, 1e-6, "train mode without a masker");
    }

    [Fact]
    public void Released_checkpoint_buffers_are_recognised_as_derived()
    {
        Assert.True(ReferenceCheckpoint.IsDerivedBuffer("layers.0.residual_group.blocks.1.attn_mask"));
        Assert.True(ReferenceCheckpoint.IsDerivedBuffer("layers.2.residual_group.blocks.0.attn.relative_position_index"));
        Assert.False(ReferenceCheckpoint.IsDerivedBuffer("layers.2.residual_group.blocks.0.attn.relative_position_bias_table"));
        using var net = ModelRegistry.Create("hdr-transformer-small");
        Assert.DoesNotContain(net.state_dict().Keys, ReferenceCheckpoint.IsDerivedBuffer);
    }
}
