using HdrKit.Models;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>timm-style feature_info over the whole registry: no model is named, so a new entry is covered by adding it.</summary>
public class FeatureTapTests
{
    [Fact]
    public void Every_registered_model_returns_its_declared_features_with_the_declared_shapes()
    {
        Assert.NotEmpty(ModelRegistry.All);
        foreach (var entry in ModelRegistry.All.ToArray())
        {
            manual_seed(11);
            using var probe = entry.Create(new ModelOptions());
            int exposures = ExposuresFor(probe.InputSpec);
            using var net = exposures == 3 ? probe : entry.Create(new ModelOptions { Exposures = exposures });
            net.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            // Smallest sides every declared stride divides, at least 32; W ≠ H so a swapped axis shows.
            int multiple = net.InputMultiple();
            int h = multiple * (int)Math.Ceiling(32.0 / multiple), w = 2 * h;
            var x = rand([1, exposures, 6, h, w]);

            var names = net.FeatureInfo.Select(f => f.Name).ToArray();
            Assert.True(names.Length == names.Distinct().Count(), $"{entry.Name} declares a feature name twice: {string.Join(", ", names)}");
            var result = net.ForwardWithFeatures(x);
            Assert.Equal(names.Order(), result.Features.Keys.Order());
            foreach (var info in net.FeatureInfo)
            {
                Assert.True(h % info.Reduction == 0 && w % info.Reduction == 0, $"{entry.Name}.{info.Name}: stride {info.Reduction} does not divide {multiple}");
                var shape = result.Features[info.Name].shape;
                Assert.True(shape.SequenceEqual(new long[] { 1, info.Channels, h / info.Reduction, w / info.Reduction }),
                    $"{entry.Name}.{info.Name}: declared [1,{info.Channels},{h / info.Reduction},{w / info.Reduction}], got [{string.Join(",", shape)}]");
                Assert.True(result.Features[info.Name].isfinite().all().item<bool>(), $"{entry.Name}.{info.Name} is not finite");
            }
            TensorAssert.Exact(net.forward(x), result.Output, $"{entry.Name}: forward vs ForwardWithFeatures");
        }
    }

    [Fact]
    public void Per_stage_taps_follow_the_configured_depths()
    {
        using var transformer = ModelRegistry.Create("hdr-transformer", new ModelOptions { Depths = [1, 1, 1, 1, 1] });
        Assert.Equal(["group1", "group2", "group3", "group4", "group5"], transformer.FeatureInfo.Select(f => f.Name).Where(n => n.StartsWith("group")));
        using var safnet = ModelRegistry.Create("safnet-s-tiny", new ModelOptions { Extra = new Dictionary<string, string> { ["alignment_scale"] = "0.25" } });
        Assert.Equal([8, 16, 32, 64], safnet.FeatureInfo.Where(f => f.Name.StartsWith("encoder")).Select(f => f.Reduction));
        Assert.Equal(64, safnet.InputMultiple());
    }

    private static int ExposuresFor(NetworkInputSpec spec) =>
        spec.Accepts(3) ? 3 : spec.ExposureCounts?.First() ?? 1;
}
