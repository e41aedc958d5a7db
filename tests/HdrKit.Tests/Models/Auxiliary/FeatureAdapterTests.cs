using HdrKit.Models.Auxiliary;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

public sealed class FeatureAdapterTests
{
    [Theory]
    [InlineData(7, 16, 8, 8, 16, 16)]    // stride-2 tap up to full resolution
    [InlineData(64, 8, 32, 32, 16, 16)]  // wider, finer tap down
    [InlineData(3, 3, 10, 12, 10, 12)]   // same grid: projection only
    public void ProjectsAnyWidthOntoTheTargetGrid(int cin, int cout, int h, int w, int th, int tw)
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(31);
        using var adapter = new FeatureAdapter(cin, cout);
        var x = torch.randn([2, cin, h, w], generator: g);
        var y = adapter.Align(x, th, tw);
        Assert.Equal(new long[] { 2, cout, th, tw }, y.shape);
        // Projection and bilinear resampling commute, so the cheaper order gives the same values.
        var other = FeatureAdapter.Resize(adapter.forward(x), th, tw);
        TensorAssert.Close(other, y, 1e-4, "order of projection and resize");
        Assert.Throws<ArgumentException>(() => adapter.forward(torch.randn([1, cin + 1, h, w])));
    }
}
