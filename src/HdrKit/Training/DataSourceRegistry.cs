using HdrKit.Data;
using HdrKit.Models;

namespace HdrKit.Training;

/// <summary>What a data-source factory may use besides its own config section.</summary>
/// <param name="PatchSize">Training crop side, already rounded up to the network's multiple.</param>
/// <param name="Stops">data.stops: only for data without exposures of its own.</param>
public sealed record DataSourceContext(NetworkInputSpec Spec, int Exposures, int PatchSize, IReadOnlyList<double> Stops, long Seed);

/// <summary>
/// Data sources by <c>type</c> (BasicSR's dataset registry). Each factory turns a <see cref="DataSourceConfig"/>
/// into scenes for the patch loader; sources that are finite scene sets (<see cref="ITrainingScenes"/>) can be
/// mixed in <c>data.sources</c> and iterated by epoch hooks. Register a new type once, before configs use it.
/// </summary>
public static class DataSourceRegistry
{
    private static readonly Dictionary<string, Func<DataSourceConfig, DataSourceContext, ISceneSource>> Factories =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["kalantari"] = Kalantari,
            ["brackets"] = Brackets,
            ["simulate"] = Simulate,
            ["synthetic"] = Synthetic,
        };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Contains(string type) => Factories.ContainsKey(type);

    public static void Register(string type, Func<DataSourceConfig, DataSourceContext, ISceneSource> factory)
    {
        if (!Factories.TryAdd(type, factory)) throw new ArgumentException($"data source type '{type}' is already registered");
    }

    public static ISceneSource Create(DataSourceConfig config, DataSourceContext context) =>
        Factories.TryGetValue(config.Type, out var factory) ? factory(config, context)
            : throw new ArgumentException($"unknown data source type '{config.Type}'; known: {string.Join(", ", Names)}");

    private static string RequirePath(DataSourceConfig c) =>
        string.IsNullOrWhiteSpace(c.Path) ? throw new ArgumentException($"data source {c.Type} needs a path") : c.Path;

    private static ISceneSource Kalantari(DataSourceConfig c, DataSourceContext context)
    {
        var source = new FolderSceneSource(RequirePath(c));
        // Folders bring their own stops; only the frame count has to suit the network.
        int frames = KalantariScene.ReadStops(System.IO.Path.Combine(source.Scenes[0], KalantariScene.ExposureFile)).Length;
        if (!context.Spec.Accepts(frames)) throw new ArgumentException($"{source.Scenes[0]} has {frames} exposures, which the model does not take");
        return WithLabels(source, c.Labelled);
    }

    private static ISceneSource Brackets(DataSourceConfig c, DataSourceContext context)
    {
        if (!c.Labelled.IsAll && !c.Labelled.IsNone)
            throw new ArgumentException("brackets have no ground truth: a brackets source is unlabelled (labelled: false)");
        return new BracketFolderSource(RequirePath(c), context.Exposures, context.Stops);
    }

    private static ISceneSource Simulate(DataSourceConfig c, DataSourceContext context)
    {
        var spec = c.Simulate.ToSpec(context.Exposures);
        var options = spec.Options();
        if (!context.Spec.Accepts(options.Exposures)) throw new ArgumentException($"the model does not take {options.Exposures} exposures (simulate.exposures)");
        var scenes = new SimulatedSceneSource(new BracketSimulator(spec.Maps().Maps, options), spec.SeedOrPreset, spec.CountOrPreset, spec.Start, c.Simulate.Cache);
        return WithLabels(scenes, c.Labelled);
    }

    private static ITrainingScenes WithLabels(ITrainingScenes scenes, LabelledConfig labelled) =>
        labelled.IsAll ? scenes : new LabelledScenes(scenes, labelled.ToSubset());

    /// <summary>
    /// The old procedural smoke corpus as the simulator: a fresh scene per sample at patch size from
    /// <see cref="ProceduralMaps"/>, with data.stops' count and spacing and, like the old generator, a noise-free
    /// γ-2.2 camera. Needs no files.
    /// </summary>
    private static ISceneSource Synthetic(DataSourceConfig c, DataSourceContext context) =>
        new SyntheticSceneSource(SyntheticSimulator(context.Stops, context.PatchSize), context.Seed);

    /// <summary>The simulator behind `synthetic`: procedural maps, scenes of <paramref name="size"/>², data.stops' spacing.</summary>
    public static BracketSimulator SyntheticSimulator(IReadOnlyList<double> stops, int size)
    {
        var steps = stops.Zip(stops.Skip(1), (a, b) => b - a).Distinct().ToArray();
        if (steps.Length > 1) throw new ArgumentException($"data.kind synthetic needs evenly spaced data.stops, got [{string.Join(", ", stops)}]");
        return new BracketSimulator(ProceduralMaps.Corpus(), new SimulatorOptions
        {
            Width = Math.Max(16, size), Height = Math.Max(16, size), Exposures = stops.Count, EvSteps = steps.Length == 1 ? [steps[0]] : [2.0],
            Camera = CameraRanges.Named("ideal"),
        });
    }
}
