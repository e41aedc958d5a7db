using HdrKit.Semantic.Tflite;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Semantic;

/// <summary>Operator semantics against hand-computed values, and the whole port against Arm NN's execution.</summary>
public class TfliteGraphTests
{
    [Theory]
    [InlineData(257, 3, 2, 1, 1, 1)]   // odd size, stride 2: symmetric
    [InlineData(256, 3, 2, 1, 0, 1)]   // even size, stride 2: the extra pixel goes to the bottom/right
    [InlineData(33, 3, 1, 2, 2, 2)]    // dilation 2: effective kernel 5
    [InlineData(33, 33, 33, 1, 0, 0)]  // a window covering the input needs none
    public void SamePaddingFollowsTflite(int size, int kernel, int stride, int dilation, int before, int after) =>
        Assert.Equal((before, after), TfliteGraph.SamePadding(size, kernel, stride, dilation));

    [Fact]
    public void AsymmetricSamePaddingInAConvolution()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1, 1, 4, 4);
        var padded = TfliteGraph.PadSame(x, TflitePadding.Same, 3, 3, 2, 2, 1, 1);
        var y = nn.functional.conv2d(padded, torch.ones(1, 1, 3, 3), strides: [2, 2]);
        // Zero rows/columns only after the image: window (0,0) sees 3×3 ones, the others reach into the padding.
        Assert.Equal([9f, 6f, 6f, 4f], y.flatten().data<float>().ToArray());
    }

    [Fact]
    public void AveragePoolSameCountsOnlyInImagePixels()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(Scalars.Of(1), Scalars.Of(10), dtype: ScalarType.Float32).view(1, 1, 3, 3);
        var y = TfliteGraph.Pool(x, max: false, TflitePadding.Same, 2, 2, 2, 2);
        Assert.Equal([3f, 4.5f, 7.5f, 9f], y.flatten().data<float>().ToArray());
        var m = TfliteGraph.Pool(x, max: true, TflitePadding.Same, 2, 2, 2, 2);
        Assert.Equal([5f, 6f, 8f, 9f], m.flatten().data<float>().ToArray());
    }

    [Theory]
    [InlineData(true, false, 0f, 20f)]    // align_corners: src = dst·(3−1)/(2−1)
    [InlineData(false, false, 0f, 15f)]   // legacy: src = dst·3/2
    [InlineData(false, true, 2.5f, 17.5f)] // half-pixel: src = (dst+½)·3/2 − ½ = 0.25, 1.75
    public void ResizeBilinearConventions(bool alignCorners, bool halfPixel, float first, float second)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 0, 10, 20 }).view(1, 1, 1, 3);
        var y = TfliteResize.Bilinear(x, 1, 2, alignCorners, halfPixel);
        var v = y.flatten().data<float>().ToArray();
        Assert.Equal(first, v[0], 5);
        Assert.Equal(second, v[1], 5);
    }

    [Fact]
    public void UpsamplingWithAlignCornersHitsBothEnds()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 0, 10 }).view(1, 1, 2, 1);
        var v = TfliteResize.Bilinear(x, 5, 1, true, false).flatten().data<float>().ToArray();
        Assert.Equal([0f, 2.5f, 5f, 7.5f, 10f], v);
    }

    [Fact]
    public void MatchesArmNnOnTheRealModel()
    {
        var model = TfliteModel.Load(DeepLabModel.PathOrSkip());
        var reference = SafeTensors.Load(TestData.Fixture("Semantic", "deeplab_armnn_synthetic.safetensors"));
        using var scope = torch.NewDisposeScope();
        using var graph = new TfliteGraph(model);
        var rgb = DeepLabModel.SyntheticRgb();
        var input = torch.zeros(1, 3, 257, 257);
        var data = new float[3 * 257 * 257];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 257; y++)
                for (int x = 0; x < 257; x++)
                    data[(c * 257 + y) * 257 + x] = rgb[y, x, c] / 127.5f - 1f;
        input = torch.tensor(data, [1, 3, 257, 257]);
        Tensor logits;
        using (torch.no_grad()) logits = graph.forward(input);

        var sub = logits[0, .., TensorIndex.Slice(0, null, 8), TensorIndex.Slice(0, null, 8)].permute(1, 2, 0);
        var expected = reference["logits_every8"];
        Assert.Equal(expected.shape, sub.shape);
        double maxDiff = (sub - expected).abs().max().item<float>();
        Assert.True(maxDiff < 1e-3, $"max |logit difference| vs Arm NN = {maxDiff}");

        var agree = logits[0].argmax(0).to(ScalarType.Int32).eq(reference["argmax"]).to(ScalarType.Float32).mean().item<float>();
        Assert.True(agree > 0.999f, $"argmax agreement {agree}");
        foreach (var t in reference.Values) t.Dispose();
    }
}
