using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Util;

/// <summary>
/// Element-wise operations written into their first operand when no autograd graph is recorded, and into a new tensor
/// when one is. At inference on a whole image every temporary is a full-size map, and overwriting one that has no
/// other reader keeps a merge's heap, and its first-touch page faults, down (bench/results/merge.md); under autograd
/// the operand may be saved for the backward pass, where overwriting it is an error. The value is the same either
/// way, bit for bit. The caller treats the first operand as consumed; where it is overwritten, the result is that
/// operand itself, in its own dispose scope, so a caller never moves it out of a scope it was not made in.
/// </summary>
public static class InPlace
{
    /// <summary>Whether the operations overwrite their first operand (no gradient is being recorded).</summary>
    public static bool Allowed => !is_grad_enabled();

    public static Tensor Add(Tensor x, Tensor y) => Allowed ? x.add_(y) : x + y;

    public static Tensor Add(Tensor x, Scalar y) => Allowed ? x.add_(y) : x + y;

    public static Tensor Sub(Tensor x, Tensor y) => Allowed ? x.sub_(y) : x - y;

    public static Tensor Sub(Tensor x, Scalar y) => Allowed ? x.sub_(y) : x - y;

    public static Tensor Mul(Tensor x, Tensor y) => Allowed ? x.mul_(y) : x * y;

    public static Tensor Mul(Tensor x, Scalar y) => Allowed ? x.mul_(y) : x * y;

    public static Tensor Div(Tensor x, Tensor y) => Allowed ? x.div_(y) : x / y;

    public static Tensor Div(Tensor x, Scalar y) => Allowed ? x.div_(y) : x / y;

    /// <summary>y − x (x's sign flipped, then y added: the same rounding as the subtraction).</summary>
    public static Tensor SubtractFrom(Tensor x, Tensor y) => Allowed ? x.neg_().add_(y) : y - x;

    /// <summary>y − x for a scalar y.</summary>
    public static Tensor SubtractFrom(Tensor x, Scalar y) => Allowed ? x.neg_().add_(y) : y - x;

    public static Tensor ClampMin(Tensor x, Scalar min) => Allowed ? x.clamp_min_(min) : x.clamp_min(min);

    public static Tensor Clamp(Tensor x, Scalar min, Scalar max) => Allowed ? x.clamp_(min, max) : x.clamp(min, max);

    public static Tensor Sqrt(Tensor x) => Allowed ? x.sqrt_() : x.sqrt();

    public static Tensor Sigmoid(Tensor x) => Allowed ? x.sigmoid_() : x.sigmoid();

    public static Tensor Round(Tensor x) => Allowed ? x.round_() : x.round();
}
