namespace HdrKit.Training;

/// <summary>The `loss:` section: μ-law L1 plus an optional VGG19 perceptual term.</summary>
public sealed class LossConfig
{
    /// <summary>Weight of L1 on μ-law tonemapped values (every reference uses 1).</summary>
    public double MuL1 { get; set; } = 1.0;
    /// <summary>Weight of L1 on linear values (0 = off).</summary>
    public double LinearL1 { get; set; }
    /// <summary>Weight of the VGG perceptual term (0 = off; HDR-Transformer 0.01, SMHDR 0.005).</summary>
    public double Perceptual { get; set; }
    /// <summary>VGG19 layers summed by the perceptual term.</summary>
    public string[] PerceptualLayers { get; set; } = { "relu1_1", "relu2_1", "relu3_1" };
    /// <summary>tfjs folder or torchvision-named .safetensors; null = ../shared/models/vgg19-keras-block1-3.</summary>
    public string? VggWeights { get; set; }
    public float Mu { get; set; } = 5000f;
    /// <summary>
    /// μ-law L1 on intermediate HDR outputs the network exposes as features, by feature name → weight (e.g.
    /// SAFNet's `merged`: supervising the explicit merge trains alignment and selection directly instead of
    /// only through the refiner). Logged as `aux_{name}`.
    /// </summary>
    public Dictionary<string, double> Auxiliary { get; set; } = new();
}
