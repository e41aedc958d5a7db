using static TorchSharp.torch;

namespace HdrKit.Models.Auxiliary;

/// <summary>SPGRM's refined image Ĥ_s (μ-law domain, [B,3,H,W]) and each fusion module's output F_T^k (the SKAM teachers).</summary>
public sealed record SpgrmForward(Tensor Output, IReadOnlyList<Tensor> Features);
