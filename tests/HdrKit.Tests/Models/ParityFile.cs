using System.Text.RegularExpressions;
using HdrKit.Models;
using HdrKit.Weights;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>
/// One of ../shared/parity/*_parity.safetensors: the reference model's weights (w.*), inputs (in.*), its
/// output (out) and metadata saying how it was built and called.
/// </summary>
internal sealed class ParityFile : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public ParityFile(string name)
    {
        tensors = SafeTensors.Load(TestData.SharedOrSkip("parity", name), out var meta);
        Metadata = meta;
    }

    /// <summary>key=value pairs of the metadata "config" string; list values like [6,6,6] are kept as text.</summary>
    public Dictionary<string, string> Config() =>
        Regex.Matches(Metadata["config"], @"(\w+)=(\[[^\]]*\]|\S+)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    public static int[] IntList(string text) => text.Trim('[', ']').Split(',').Select(int.Parse).ToArray();

    /// <summary>The channel order the metadata describes for each exposure's 6 channels.</summary>
    public InputOrder ChannelOrder() => Metadata["input_channel_order"].Contains("[LDR,") ? InputOrder.LdrFirst : InputOrder.LinearFirst;

    public Tensor this[string key] => tensors[key];

    public long ParamCount => long.Parse(Metadata["param_count"]);

    /// <summary>The reference state dict (w.* with the prefix removed).</summary>
    public Dictionary<string, Tensor> Weights() =>
        tensors.Where(kv => kv.Key.StartsWith("w.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[2..], kv => kv.Value);

    /// <summary>Strict load by name, then runs the network on <paramref name="input"/> in eval mode and returns max |ours − out|.</summary>
    public double MaxDiff(HdrNetwork net, Tensor input)
    {
        StateDictLoader.Load(net, Weights(), source: "parity w.*");
        net.eval();
        using var noGrad = no_grad();
        using var output = net.forward(input);
        Assert.Equal(tensors["out"].shape, output.shape);
        return TensorAssert.MaxAbsDiff(tensors["out"], output);
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
