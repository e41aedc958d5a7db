using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// AHDRNet's dilated residual dense block (DRDB): dense layers that each see all earlier channels, a 1×1
/// fusion back to the input width, and a residual. Names: dense_layers.{i}.conv, conv_1x1.
/// </summary>
public sealed class DilatedResidualDenseBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential dense_layers;
    private readonly Conv2d conv_1x1;
    private readonly DilatedDenseLayer[] layers;
    private readonly int channels;
    private readonly int growthRate;

    public DilatedResidualDenseBlock(int channels, int denseLayers, int growthRate) : base(nameof(DilatedResidualDenseBlock))
    {
        this.channels = channels;
        this.growthRate = growthRate;
        layers = Enumerable.Range(0, denseLayers).Select(i => new DilatedDenseLayer(channels + i * growthRate, growthRate)).ToArray();
        dense_layers = nn.Sequential(layers);
        conv_1x1 = nn.Conv2d(channels + denseLayers * growthRate, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var dense = is_grad_enabled() ? ConcatenateGrowing(x) : FillPreallocated(x);
        return (conv_1x1.forward(dense) + x).MoveToOuterDisposeScope();
    }

    // Training: autograd needs each layer's input unmodified, so concatenate as the reference does.
    private Tensor ConcatenateGrowing(Tensor x)
    {
        var features = x;
        foreach (var layer in layers) features = cat([features, layer.forward(features)], 1);
        return features;
    }

    // Inference: write every layer's output into one buffer; each layer reads a channel prefix of it, which
    // avoids re-copying all earlier channels at every layer (quadratic in depth).
    private Tensor FillPreallocated(Tensor x)
    {
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        var buffer = empty([b, channels + layers.Length * growthRate, h, w], x.dtype, x.device);
        buffer.narrow(1, 0, channels).copy_(x);
        long filled = channels;
        foreach (var layer in layers)
        {
            using var grown = layer.forward(buffer.narrow(1, 0, filled));
            buffer.narrow(1, filled, growthRate).copy_(grown);
            filled += growthRate;
        }
        return buffer;
    }
}
