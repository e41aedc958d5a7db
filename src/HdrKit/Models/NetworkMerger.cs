using HdrKit.Exposure;
using HdrKit.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models;

/// <summary>
/// Merges a bracket with a deghosting network: builds the network input the model was trained on, pads to the
/// model's size multiple, runs it without gradients and returns radiance on the same scale as the classical
/// merge — relative to the reference (middle) exposure, so a well-exposed reference pixel reads about LDR^2.2.
/// </summary>
public sealed class NetworkMerger(HdrNetwork network, Device? device = null)
{
    public HdrNetwork Network { get; } = network;
    public Device Device { get; } = device ?? torch.CPU;

    public FloatImage Merge(Bracket bracket)
    {
        var spec = Network.InputSpec;
        if (!spec.Accepts(bracket.Count))
            throw new ArgumentException($"model {Network.GetName()} takes {string.Join(" or ", spec.ExposureCounts!)} exposures, the bracket has {bracket.Count}; pick that many images or use --method classical");
        var sorted = bracket.SortedByExposure();
        // Networks were trained with the middle exposure as reference; their output follows its geometry.
        var middle = new Bracket(sorted.Frames, sorted.ExposureSeconds, sorted.Count / 2);

        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        Network.eval();
        Network.to(Device);
        var input = NetworkInput.Build(middle, spec).to(Device);
        int h = middle.Height, w = middle.Width, m = Math.Max(1, spec.PadMultiple);
        int padH = (m - h % m) % m, padW = (m - w % m) % m;
        if (padH > 0 || padW > 0)
        {
            // Reflect needs the pad to be smaller than the side; replicate covers tiny images.
            var mode = padH < h && padW < w ? PaddingModes.Reflect : PaddingModes.Replicate;
            var flat = input.flatten(0, 1);
            flat = nn.functional.pad(flat, new long[] { 0, padW, 0, padH }, mode);
            input = flat.reshape(1, middle.Count, 6, h + padH, w + padW);
        }
        var output = Network.forward(input)[.., .., ..h, ..w];
        var scale = NetworkInput.ExposureTimes(middle, spec.ExposureTimeOrigin)[middle.ReferenceIndex];
        return FloatImage.FromTensor(output * scale);
    }
}
