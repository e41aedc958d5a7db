using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>Full-size scenes scored every few epochs. Each sample's tensors belong to the caller's dispose scope.</summary>
public interface IValidationSource
{
    int Count { get; }

    ValidationSample Get(int index, Device device);
}
