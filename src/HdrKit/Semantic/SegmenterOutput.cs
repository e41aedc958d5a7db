using static TorchSharp.torch;

namespace HdrKit.Semantic;

/// <summary>
/// What a semantic backend computes for a batch, at its own working resolution: four feature maps
/// ([B,C,h,w], strides 2/4/8/16 relative to the working input) and class logits ([B,K,h,w]) or null for
/// class-agnostic backends. The knowledge bank resamples both to the caller's image grid.
/// </summary>
public sealed record SegmenterOutput(Tensor[] Features, Tensor? ClassLogits) : IDisposable
{
    public void Dispose()
    {
        foreach (var f in Features) f.Dispose();
        ClassLogits?.Dispose();
    }
}
