using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// Conv2d followed by a per-channel PReLU, as an nn.Sequential so the state-dict names are "&lt;name&gt;.0.weight",
/// "&lt;name&gt;.0.bias", "&lt;name&gt;.1.weight" — the layout of the RIFE/IFRNet-family code SAFNet is written in.
/// </summary>
public static class ConvPReLU
{
    public static Sequential Create(long inChannels, long outChannels, long kernel = 3, long stride = 1, long padding = 1,
        long dilation = 1, long groups = 1) =>
        nn.Sequential(
            nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, dilation: dilation, groups: groups, bias: true),
            nn.PReLU(outChannels));
}
