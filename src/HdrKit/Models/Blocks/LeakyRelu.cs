using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// <c>leaky_relu</c> with its slope held alive for the whole native call, as a function and as a layer for
/// <c>nn.Sequential</c>. TorchSharp's <c>nn.functional.leaky_relu(x, double)</c>, which its <c>nn.LeakyReLU</c>
/// module also calls, turns the slope into a temporary <see cref="Scalar"/> that nothing references once its handle
/// is passed on, so the finalizer thread can free it while libtorch still reads it: rarely, and then as
/// "Expected false to be true … toFloat (Scalar.h:140)" mid-training (seen in the test suite and in a
/// semi-supervised run). The layer holds no parameters, so replacing <c>nn.LeakyReLU</c> leaves state dicts as they were.
/// </summary>
public sealed class LeakyRelu : nn.Module<Tensor, Tensor>
{
    private readonly double slope;

    public LeakyRelu(double slope) : base(nameof(LeakyRelu)) => this.slope = slope;

    public override Tensor forward(Tensor x) => Apply(x, slope);

    public static Tensor Apply(Tensor x, double slope)
    {
        using var s = slope.ToScalar();
        return x.leaky_relu(s);
    }
}
