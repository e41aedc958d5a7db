namespace HdrKit.Training;

/// <summary>
/// One entry of <c>data.sources</c>, chosen by <see cref="Type"/> from <see cref="DataSourceRegistry"/>:
/// kalantari (scene folders with ground truth), brackets (folders of brackets without), simulate (the bracket
/// simulator), synthetic (the old smoke corpus: the simulator over procedural maps at patch size).
/// </summary>
public sealed class DataSourceConfig
{
    public string Type { get; set; } = "kalantari";
    /// <summary>Folder of scenes (kalantari) or of brackets (brackets).</summary>
    public string? Path { get; set; }
    /// <summary>true, false or {count|percent, seed}: which scenes keep their ground truth (kalantari, simulate).</summary>
    public LabelledConfig Labelled { get; set; } = LabelledConfig.All;
    public SimulateConfig Simulate { get; set; } = new();
}
