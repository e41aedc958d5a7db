using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>Exact tensor equality as a bool (TorchSharp's equal() is element-wise), for the trainer and loss tests.</summary>
internal static class TensorEquality
{
    public static bool SameAs(this Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
}
