using static TorchSharp.torch;

namespace HdrKit.Models.SafNet;

/// <summary>The refined HDR plus the refine net's first fused features and its last features before the output conv.</summary>
public sealed record SafNetRefinement(Tensor Hdr, Tensor Fused, Tensor Body);
