namespace HdrKit.Training;

/// <summary>
/// The `loss:` section: μ-law L1 plus an optional VGG19 perceptual term by fixed keys, or any terms from
/// <see cref="LossRegistry"/> by `type` under <see cref="Terms"/>.
/// </summary>
public sealed class LossConfig
{
    /// <summary>
    /// Terms by type (`[{ type: mu_l1, weight: 1 }, { type: perceptual, weight: 0.01 }]`); when set, they are the
    /// loss and the fixed weight keys below must stay at their defaults. Null = built from those keys.
    /// </summary>
    public List<OptionSection>? Terms { get; set; }

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

    /// <summary>
    /// Per auxiliary feature, the [low, high] range of linear target values (every channel) its term counts
    /// (default: all). SAFNet's `aligned0` is the shortest exposure warped onto the reference, in the target's unit:
    /// it can equal the target only where that exposure holds it, e.g. [0.0014, 0.89] (codes 0.05–0.95 at γ 2.2), and
    /// a term there supervises the flow itself, also where the reference is clipped (docs/training.md, "Losses").
    /// </summary>
    public Dictionary<string, double[]> AuxiliaryTargetRange { get; set; } = new();

    /// <summary>The loss as registry terms: <see cref="Terms"/>, or the fixed keys in their historical order (mu_l1, linear_l1, perceptual).</summary>
    public IReadOnlyList<OptionSection> ToTerms()
    {
        if (Terms is not null) return Terms.Select((t, i) => t.At($"loss.terms[{i}]")).ToArray();
        var terms = new List<OptionSection>();
        if (MuL1 > 0) terms.Add(new OptionSection("loss").Set("type", "mu_l1").Set("weight", MuL1).Set("mu", Mu));
        if (LinearL1 > 0) terms.Add(new OptionSection("loss").Set("type", "linear_l1").Set("weight", LinearL1));
        if (Perceptual > 0)
        {
            var perceptual = new OptionSection("loss").Set("type", "perceptual").Set("weight", Perceptual).Set("layers", PerceptualLayers).Set("mu", Mu);
            if (VggWeights is not null) perceptual.Set("vgg_weights", VggWeights);
            terms.Add(perceptual);
        }
        return terms;
    }

    /// <summary>True when a fixed weight key differs from its default (then <see cref="Terms"/> may not be used too).</summary>
    internal bool HasFixedWeights => MuL1 != 1.0 || LinearL1 != 0 || Perceptual != 0;
}
