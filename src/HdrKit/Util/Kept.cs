using static TorchSharp.torch;

namespace HdrKit.Util;

/// <summary>
/// Runs a computation in its own dispose scope and keeps only its result: the intermediates (a Sequential's inner
/// activations, an expression's temporaries) are released as soon as it returns instead of at the end of the
/// caller's scope. At full resolution that is what lets the allocator reuse memory rather than touch fresh pages.
/// Autograd keeps what it saved for the backward pass, so training is unaffected.
/// </summary>
public static class Kept
{
    public static Tensor Result(Func<Tensor> compute)
    {
        using var scope = NewDisposeScope();
        return compute().MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="layer"/> applied to <paramref name="input"/>, which is then disposed: for a chain of layers each of whose outputs only the next one reads.</summary>
    public static Tensor Replacing(Tensor input, Func<Tensor, Tensor> layer)
    {
        var output = Result(() => layer(input));
        input.Dispose();
        return output;
    }
}
