using HdrKit.Models;
using static TorchSharp.torch;

namespace HdrKit.Semantic;

/// <summary>
/// A frozen segmentation network trained on ordinary sRGB photos: the part of the semantic knowledge bank that
/// can be swapped for a bigger model (FastSAM, SAM's encoder, an ONNX export). Implementations run under
/// no_grad and never train.
/// </summary>
public interface ISemanticBackend : IDisposable
{
    /// <summary>Names the network, its weights and settings; part of every cache key, so it must change when they do.</summary>
    string Id { get; }

    /// <summary>The four feature maps, strides 2, 4, 8, 16 (timm's feature_info).</summary>
    IReadOnlyList<FeatureInfo> FeatureInfo { get; }

    /// <summary>Class names in logit order, or null when the backend has no classes.</summary>
    IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Runs on [B,3,H,W] sRGB values in [0,1] (on any device; outputs on the same device).</summary>
    SegmenterOutput Forward(Tensor rgb);
}
