using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>A weighted total to back-propagate and each term's unweighted value for logging.</summary>
public sealed record LossResult(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms);
