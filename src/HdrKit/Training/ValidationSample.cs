using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>One full validation scene: Input [1, N, 6, H, W], Target [1, 3, H, W] linear HDR.</summary>
public sealed record ValidationSample(string Name, Tensor Input, Tensor Target);
