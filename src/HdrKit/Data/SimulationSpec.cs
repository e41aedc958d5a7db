using System.Globalization;

namespace HdrKit.Data;

/// <summary>
/// A simulated scene set as `hdrkit simulate` and a training config's <c>simulate:</c> section name it: a preset
/// with overrides (size, exposures, EV steps, camera, motion), the radiance maps, seed, first index and count.
/// Null fields keep the preset's value, so the same spec gives the same scenes from the CLI and from training.
/// </summary>
public sealed record SimulationSpec
{
    public string Preset { get; init; } = "training";
    public long? Seed { get; init; }
    public int? Count { get; init; }
    public int Start { get; init; }
    /// <summary>"WxH", e.g. 256x256.</summary>
    public string? Size { get; init; }
    public int? Exposures { get; init; }
    public IReadOnlyList<double>? EvSteps { get; init; }
    /// <summary>random | kalantari | ideal.</summary>
    public string? Camera { get; init; }
    /// <summary>normal | large | static.</summary>
    public string? Motion { get; init; }
    /// <summary>Folders or files of radiance maps instead of the bundled data/hdri.</summary>
    public IReadOnlyList<string>? Hdri { get; init; }
    /// <summary>Use every map, ignoring the held-out validation split.</summary>
    public bool AllMaps { get; init; }

    public SimulationPreset FindPreset() => SimulationPreset.Find(Preset);

    public long SeedOrPreset => Seed ?? FindPreset().Seed;
    public int CountOrPreset => Count ?? FindPreset().Count;

    public SimulatorOptions Options()
    {
        var options = FindPreset().Options;
        if (Size is { } sz) { var (w, h) = ParseSize(sz); options = options with { Width = w, Height = h }; }
        if (Exposures is { } ne) options = options with { Exposures = ne };
        if (EvSteps is { } ev) options = options with { EvSteps = ev.ToArray() };
        if (Camera is { } cam) options = options with { Camera = CameraRanges.Named(cam) };
        if (Motion is { } mm) options = options with { Motion = MotionModel.Named(mm) };
        options.Validate();
        return options;
    }

    /// <summary>The radiance maps this spec draws from (the preset's split of the corpus unless <see cref="AllMaps"/>).</summary>
    public HdrCorpus Maps()
    {
        var corpus = Hdri is { Count: > 0 } ? HdrCorpus.Load(Hdri) : HdrCorpus.LoadBundled();
        return AllMaps ? corpus : FindPreset().SelectMaps(corpus);
    }

    /// <summary>"512x256" → (512, 256); each side at least 16.</summary>
    public static (int Width, int Height) ParseSize(string s)
    {
        var parts = s.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || w < 16 || h < 16)
            throw new ArgumentException($"size must look like 512x256 (each side at least 16), got '{s}'");
        return (w, h);
    }
}
