using HdrKit.Semantic.Tflite;

namespace HdrKit.Tests.Semantic;

/// <summary>
/// The flatbuffer reader on the real model. Expected counts, shapes, flags and weight values come from an
/// independent byte-level walk of the file in Python (struct.unpack on the vtables, not HdrKit's reader).
/// </summary>
public class TfliteModelTests
{
    [Fact]
    public void ReadsGraphStructure()
    {
        var model = TfliteModel.Load(DeepLabModel.PathOrSkip());
        Assert.Equal(3u, model.Version);
        Assert.Single(model.Subgraphs);
        var g = model.Main;
        Assert.Equal(184, g.Tensors.Count);
        Assert.Equal(70, g.Operators.Count);
        var hist = model.OperatorHistogram().ToDictionary(x => x.Op, x => x.Count);
        Assert.Equal(38, hist["CONV_2D"]);
        Assert.Equal(17, hist["DEPTHWISE_CONV_2D"]);
        Assert.Equal(10, hist["ADD"]);
        Assert.Equal(3, hist["RESIZE_BILINEAR"]);
        Assert.Equal(1, hist["AVERAGE_POOL_2D"]);
        Assert.Equal(1, hist["CONCATENATION"]);
        Assert.Equal("sub_7", g.Tensors[g.Inputs.Single()].Name);
        Assert.Equal("ResizeBilinear_3", g.Tensors[g.Outputs.Single()].Name);
        Assert.Equal([1, 257, 257, 3], g.Tensor("sub_7").Shape);
        Assert.Equal([16, 3, 3, 3], g.Tensor("MobilenetV2/Conv/weights").Shape);
        Assert.Equal([1, 3, 3, 48], g.Tensor("MobilenetV2/expanded_conv_1/depthwise/depthwise_weights").Shape);
        Assert.Equal([1, 33, 33, 512], g.Tensor("concat").Shape);
        Assert.Equal(TfliteTensorType.Int32, g.Tensor("strided_slice_8").Type);
    }

    [Fact]
    public void DecodesOptions()
    {
        var g = TfliteModel.Load(DeepLabModel.PathOrSkip()).Main;
        TfliteOperator Producer(string tensor) => g.Operators.Single(o => o.Outputs.Contains(g.Tensor(tensor).Index));

        var dw1 = Producer("MobilenetV2/expanded_conv_1/depthwise/Relu6").OptionsAs<TfliteOptions.DepthwiseConv2D>();
        Assert.Equal((TflitePadding.Same, 2, 2, 1, TfliteActivation.Relu6), (dw1.Padding, dw1.StrideW, dw1.StrideH, dw1.DepthMultiplier, dw1.Activation));

        var pool = Producer("AvgPool2D/AvgPool").OptionsAs<TfliteOptions.Pool2D>();
        Assert.Equal((TflitePadding.Valid, 33, 33, 33, 33), (pool.Padding, pool.StrideW, pool.StrideH, pool.FilterW, pool.FilterH));

        var resize = Producer("ResizeBilinear_3").OptionsAs<TfliteOptions.ResizeBilinear>();
        Assert.True(resize.AlignCorners);
        Assert.False(resize.HalfPixelCenters);

        Assert.Equal(3, Producer("concat").OptionsAs<TfliteOptions.Concatenation>().Axis);
    }

    [Fact]
    public void ReadsWeightValues()
    {
        var model = TfliteModel.Load(DeepLabModel.PathOrSkip());
        var g = model.Main;
        var conv = model.Floats(g.Tensor("MobilenetV2/Conv/weights"));
        Assert.Equal(432, conv.Length);
        Assert.Equal([0.22600266f, -0.77251631f, 0.52761471f, 0.31573996f], conv[..4]);
        var bias = model.Floats(g.Tensor("logits/semantic/Conv2D_bias"));
        Assert.Equal(21, bias.Length);
        Assert.Equal([1.09178495f, 0.57896423f, 0.33318901f], bias[..3]);
        var dw = model.Floats(g.Tensor("MobilenetV2/expanded_conv/depthwise/depthwise_weights"));
        Assert.Equal(-11.79106617f, dw[7], 5);
        Assert.Equal([257, 257], model.Ints(g.Tensor("strided_slice_8")));
    }

    [Fact]
    public void RejectsFilesThatAreNotTflite()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("not-a-model.tflite");
        File.WriteAllBytes(path, new byte[64]);
        var e = Assert.Throws<InvalidDataException>(() => TfliteModel.Load(path));
        Assert.Contains("not-a-model.tflite", e.Message);
    }
}
