using System.Collections.Concurrent;
using TorchSharp;

namespace HdrKit.Util;

/// <summary>
/// TorchSharp Scalars that live for the whole process, one per value, for the constants of tensor arithmetic.
/// </summary>
/// <remarks>
/// A Scalar made on the fly (<c>x * 0.5</c>) can be freed by the finalizer while libtorch still reads it
/// (docs/platform.md; the build's HDRK001 check forbids it). A cached Scalar is always reachable, so it never is.
/// Only for values from a small set (literals, constants, options fixed for a run): a value that changes every
/// step belongs in a <c>using var s = v.ToScalar();</c> local instead, or the cache grows with the run.
/// </remarks>
public static class Scalars
{
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();

    /// <summary>An integer Scalar: keeps integer tensors integer (<c>index * 2</c>).</summary>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary>A floating-point Scalar.</summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, v => v.ToScalar());
}
