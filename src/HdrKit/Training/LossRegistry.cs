using HdrKit.Losses;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Loss terms by `type`, as config loss sections list them (BasicSR style): each entry reads its own options
/// from the term's map (`{ type: perceptual, weight: 0.01, layers: [relu1_1, relu2_1] }`). Recipes with a term
/// of their own register it here.
/// </summary>
public static class LossRegistry
{
    /// <summary>Builds a term from its options; <paramref name="check"/> only reads the options (no weights loaded).</summary>
    public sealed record Entry(string Type, string Description, Func<OptionSection, Device, ILossTerm> Create, Action<OptionSection>? Check = null);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.OrdinalIgnoreCase);

    static LossRegistry()
    {
        Register(new("mu_l1", "L1 on μ-law tonemapped values; option mu (5000)", (o, _) => new MuLawL1Loss(Mu(o)), o => Mu(o)));
        Register(new("linear_l1", "L1 on linear values", (_, _) => new MaskedL1Loss()));
        Register(new("highlight_l1", $"L1 on linear values over the pixels whose target reaches threshold ({HighlightL1Loss.DefaultThreshold}) in any channel: clipped-reference highlights",
            (o, _) => new HighlightL1Loss(Threshold(o)), o => Threshold(o)));
        Register(new("perceptual", "VGG19 perceptual L1 on μ-law values; options layers, vgg_weights, mu", CreatePerceptual, o => { Layers(o); Mu(o); }));
    }

    public static void Register(Entry entry) => Entries[entry.Type] = entry;

    public static IEnumerable<string> Types => Entries.Keys.Order();

    /// <summary>The term's weight (`weight`, default 1), checked to be finite and ≥ 0.</summary>
    public static double Weight(OptionSection term)
    {
        double w = term.GetDouble("weight", 1.0);
        return w >= 0 && double.IsFinite(w) ? w : throw new InvalidDataException($"{term.Path}.weight must be a finite number ≥ 0, got {w}");
    }

    /// <summary>Checks type, weight and options without building (config validation).</summary>
    public static void Check(OptionSection term)
    {
        Weight(term);
        Find(term).Check?.Invoke(term);
    }

    public static ILossTerm Create(OptionSection term, Device device) => Find(term).Create(term, device);

    private static Entry Find(OptionSection term)
    {
        var type = term.GetString("type", "");
        if (type.Length == 0) throw new InvalidDataException($"{term.Path}.type is required; known: {string.Join(", ", Types)}");
        return Entries.TryGetValue(type, out var entry) ? entry
            : throw new InvalidDataException($"{term.Path}.type: unknown loss '{type}'; known: {string.Join(", ", Types)}");
    }

    private static double Threshold(OptionSection o)
    {
        double t = o.GetDouble("threshold", HighlightL1Loss.DefaultThreshold);
        return t > 0 && double.IsFinite(t) ? t : throw new InvalidDataException($"{o.Path}.threshold must be a positive number, got {t}");
    }

    private static float Mu(OptionSection o) => (float)o.GetDouble("mu", Exposure.MuLaw.Mu);

    private static IReadOnlyList<string> Layers(OptionSection o)
    {
        var layers = o.GetList<string>("layers", ["relu1_1", "relu2_1", "relu3_1"]);
        return layers.Count > 0 ? layers : throw new InvalidDataException($"{o.Path}.layers is empty");
    }

    private static ILossTerm CreatePerceptual(OptionSection o, Device device)
    {
        var path = o.GetString("vgg_weights", "") is { Length: > 0 } p ? p : Vgg19Weights.DefaultPath
            ?? throw new ArgumentException($"{o.Path}: a perceptual term but no VGG19 weights: set {o.Path}.vgg_weights (tfjs folder or torchvision-named .safetensors)");
        using var weights = Vgg19Weights.Load(path);
        return new VggPerceptualLoss(weights, Layers(o), Mu(o)).To(device);
    }
}
