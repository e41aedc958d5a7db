using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// <c>leaky_relu</c> with its slope held alive for the whole native call. TorchSharp's
/// <c>nn.functional.leaky_relu(x, double)</c> turns the slope into a temporary <see cref="Scalar"/> that nothing
/// references once its handle is passed on, so the finalizer thread can free it while libtorch still reads it:
/// rarely, and then as "Expected false to be true … toFloat (Scalar.h:140)" mid-training (seen in the test suite
/// and in a semi-supervised run).
/// </summary>
public static class LeakyRelu
{
    public static Tensor Apply(Tensor x, double slope)
    {
        using var s = slope.ToScalar();
        return x.leaky_relu(s);
    }
}
