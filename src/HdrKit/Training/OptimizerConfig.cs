namespace HdrKit.Training;

/// <summary>The `optimizer:` section. Adam with PyTorch semantics (weight decay as an L2 term in the gradient).</summary>
public sealed class OptimizerConfig
{
    public string Kind { get; set; } = "adam";
    public double Lr { get; set; } = 2e-4;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Eps { get; set; } = 1e-8;
    public double WeightDecay { get; set; }
}
