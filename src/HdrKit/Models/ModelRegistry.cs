using System.Globalization;

namespace HdrKit.Models;

/// <summary>Options common to every architecture; each model reads what applies to it and ignores the rest.</summary>
public sealed record ModelOptions
{
    /// <summary>Feature width (nFeat / embed dim). Null = the reference default.</summary>
    public int? Width { get; init; }
    /// <summary>Blocks per stage / dense layers; null = the reference default.</summary>
    public int[]? Depths { get; init; }
    /// <summary>Number of input exposures the model is built for (SMNet: any).</summary>
    public int Exposures { get; init; } = 3;
    /// <summary>Free-form extras a specific model understands (e.g. "window": "8").</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>An integer extra, null when absent; a value that is not an integer is a one-line error naming the key.</summary>
    public int? ExtraInt(string key) => Parse<int>(key, v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null, "an integer");

    /// <summary>A number extra (invariant culture), null when absent.</summary>
    public double? ExtraDouble(string key) => Parse<double>(key, v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null, "a number");

    /// <summary>A true/false extra, null when absent.</summary>
    public bool? ExtraBool(string key) => Parse<bool>(key, v => bool.TryParse(v, out var b) ? b : null, "true or false");

    private T? Parse<T>(string key, Func<string, T?> parse, string expected) where T : struct =>
        Extra.TryGetValue(key, out var value)
            ? parse(value.Trim()) ?? throw new ArgumentException($"model option '{key}' must be {expected}, got '{value}'")
            : null;
}

/// <summary>A named architecture: how to build it and what it is.</summary>
public sealed record ModelEntry(string Name, string Description, Func<ModelOptions, HdrNetwork> Create);

/// <summary>
/// The one place models are chosen by name (configs, CLI --model, tests). Like timm's registry: every
/// architecture and its small CPU-trainable variants are listed here.
/// </summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, ModelEntry> Entries = new(StringComparer.OrdinalIgnoreCase);

    static ModelRegistry()
    {
        // Each architecture file adds its entries here, one line per name.
        Register(new("ahdrnet", "AHDRNet (CVPR 2019), 64 features, 3 DRDBs of 6 layers; 1.52 M params", o => new AhdrNet(AhdrNet.Config.From(o, new()))));
        Register(new("ahdrnet-small", "AHDRNet, 32 features, 3 dense layers, growth 16: CPU-trainable", o => new AhdrNet(AhdrNet.Config.From(o, AhdrNet.Small))));
        Register(new("hdr-transformer", "HDR-Transformer (ECCV 2022), embed 60, depths 6-6-6, window 8; 1.22 M params", o => new HdrTransformer(HdrTransformer.Config.From(o, new()))));
        Register(new("hdr-transformer-small", "HDR-Transformer, embed 24, depths 2-2, 4 heads: CPU-trainable", o => new HdrTransformer(HdrTransformer.Config.From(o, HdrTransformer.Small))));
        Register(new("smnet", "SMNet of SMHDR, embed 60, depths 6-6-6-6, any n from 1 to 60 exposures (reference ICAB heads for n in {1,3,5,15}); 1.29 M params", o => new SmNet(SmNet.Config.From(o, new()))));
        Register(new("smnet-small", "SMNet, embed 24, depths 2-2, 4 heads, any n from 1 to 24 (reference ICAB heads for n in {1,2,3,6}): CPU-trainable", o => new SmNet(SmNet.Config.From(o, SmNet.Small))));
        Register(new("safnet-s", "SAFNet-S (ECCV 2024): selective alignment + explicit merge + light refine net; loads SAFNet_S_siggraph17.pth", o => new SafNet.SafNet(SafNet.SafNetConfig.FromOptions(o, SafNet.SafNetConfig.Small))));
        Register(new("safnet", "SAFNet (ECCV 2024): as SAFNet-S with the residual feature-warping refine net", o => new SafNet.SafNet(SafNet.SafNetConfig.FromOptions(o, SafNet.SafNetConfig.Full))));
        Register(new("safnet-s-tiny", "SAFNet-S with a 16-channel encoder (decoder 48): a CPU-trainable variant", o => new SafNet.SafNet(SafNet.SafNetConfig.FromOptions(o, SafNet.SafNetConfig.Small with { EncoderWidth = 16 }))));
    }

    public static void Register(ModelEntry entry) => Entries[entry.Name] = entry;

    public static IReadOnlyCollection<ModelEntry> All => Entries.Values;

    public static bool Contains(string name) => Entries.ContainsKey(name);

    /// <summary>Builds a registered network and loads its weights (.safetensors or .pth) by name, strictly.</summary>
    public static HdrNetwork CreateWithWeights(string name, string weightsPath, ModelOptions? options = null)
    {
        var network = Create(name, options);
        network.LoadWeights(weightsPath);
        return network;
    }

    public static HdrNetwork Create(string name, ModelOptions? options = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new ArgumentException($"unknown model '{name}'; known: {string.Join(", ", Entries.Keys.Order())}");
        return entry.Create(options ?? new ModelOptions());
    }
}
