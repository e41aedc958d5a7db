using HdrKit.Models;

namespace HdrKit.Training;

/// <summary>The `model:` section: a registry name and the <see cref="ModelOptions"/> to build it with.</summary>
public sealed class ModelConfig
{
    public string Name { get; set; } = "";
    public int? Width { get; set; }
    public int[]? Depths { get; set; }
    public int Exposures { get; set; } = 3;
    public Dictionary<string, string> Extra { get; set; } = new();

    public ModelOptions ToOptions() => new() { Width = Width, Depths = Depths, Exposures = Exposures, Extra = Extra };
}
