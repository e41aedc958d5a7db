using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>One named, differentiable term of a training objective; returns a scalar tensor.</summary>
public interface ILossTerm : IDisposable
{
    string Name { get; }

    Tensor Compute(LossInputs inputs);
}
