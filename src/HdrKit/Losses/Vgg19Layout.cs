namespace HdrKit.Losses;

/// <summary>One 3×3 convolution of VGG19 under its three names: ours (conv2_1), torchvision's index, Keras's layer.</summary>
internal sealed record VggConv(string Name, int Block, int Index, int TorchvisionIndex, int InChannels, int OutChannels)
{
    public string KerasName => $"block{Block}_conv{Index}";
    public string WeightKey => $"features.{TorchvisionIndex}.weight";
    public string BiasKey => $"features.{TorchvisionIndex}.bias";
}

/// <summary>VGG19's convolutional trunk: 16 convs in 5 blocks, 2×2 max-pool between blocks.</summary>
internal static class Vgg19Layout
{
    public static readonly IReadOnlyList<VggConv> Convs = Build();

    private static List<VggConv> Build()
    {
        int[] convsPerBlock = { 2, 2, 4, 4, 4 };
        int[] widths = { 64, 128, 256, 512, 512 };
        var list = new List<VggConv>();
        int tv = 0, inCh = 3;
        for (int b = 0; b < 5; b++)
        {
            for (int c = 0; c < convsPerBlock[b]; c++)
            {
                list.Add(new VggConv($"conv{b + 1}_{c + 1}", b + 1, c + 1, tv, inCh, widths[b]));
                inCh = widths[b];
                tv += 2; // conv, ReLU
            }
            tv += 1; // max-pool
        }
        return list;
    }

    /// <summary>True for the last conv of a block, after which VGG pools.</summary>
    public static bool PoolsAfter(VggConv conv) => conv == Convs.Last(c => c.Block == conv.Block);

    /// <summary>Parses "relu3_4" / "conv1_1" into the conv it taps and whether the tap is after the ReLU.</summary>
    public static (VggConv Conv, bool AfterRelu) ParseTap(string layer)
    {
        var name = layer.Trim().ToLowerInvariant();
        bool relu = name.StartsWith("relu");
        var convName = relu ? "conv" + name[4..] : name;
        var conv = Convs.FirstOrDefault(c => c.Name == convName)
            ?? throw new ArgumentException($"unknown VGG19 layer '{layer}'; use conv<b>_<i> or relu<b>_<i>, e.g. relu1_1 … relu5_4");
        return (conv, relu);
    }
}
