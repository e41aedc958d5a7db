using static TorchSharp.torch;

namespace HdrKit.Tests;

/// <summary>Exact tensor equality (TorchSharp's equal() is element-wise).</summary>
internal static class TensorAssert
{
    public static bool SameAs(this Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
}
