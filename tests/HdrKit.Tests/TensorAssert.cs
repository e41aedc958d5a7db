using static TorchSharp.torch;

namespace HdrKit.Tests;

/// <summary>Tensor comparisons with messages that say how far apart the tensors are.</summary>
public static class TensorAssert
{
    /// <summary>Same shape, same dtype, bit-for-bit equal values (NaN never equals).</summary>
    public static void Exact(Tensor expected, Tensor actual, string? what = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {actual.dtype}, expected {expected.dtype}");
        using var same = expected.eq(actual).all();
        Assert.True(same.item<bool>(), $"{what}: values differ");
    }

    /// <summary>Largest absolute difference, as a double (for printing and tolerance checks).</summary>
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max();
        return d.item<double>();
    }

    public static void Close(Tensor expected, Tensor actual, double tolerance, string? what = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        double d = MaxAbsDiff(expected, actual);
        Assert.True(d <= tolerance, $"{what}: max |diff| {d:g4} > {tolerance:g4}");
    }
}
