using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HdrKit.Training;

/// <summary>
/// One training run, read from YAML (or JSON, which YAML parses too) with snake_case keys; see
/// docs/training.md for every key. Stored inside each checkpoint so a resume needs nothing else.
/// </summary>
public sealed class TrainingConfig
{
    /// <summary>Training method from <see cref="RecipeRegistry"/>: "supervised" today.</summary>
    public string Recipe { get; set; } = "supervised";
    /// <summary>
    /// Method-specific knobs (e.g. ema_alpha, curriculum milestones [300, 350, 400], nested maps), read with typed
    /// getters by the recipe that understands them.
    /// </summary>
    public OptionSection RecipeOptions { get; set; } = new("recipe_options");
    public ModelConfig Model { get; set; } = new();
    public DataConfig Data { get; set; } = new();
    public LossConfig Loss { get; set; } = new();
    /// <summary>
    /// Loss terms per network for recipes with several (`losses: { orm: [...], refiner: [...] }`), each a list as
    /// `loss.terms`; a network without a section here uses `loss:`. Null = none.
    /// </summary>
    public Dictionary<string, List<OptionSection>>? Losses { get; set; }
    public OptimizerConfig Optimizer { get; set; } = new();
    public ScheduleConfig Schedule { get; set; } = new();
    public long Seed { get; set; } = 1;
    public int Epochs { get; set; } = 1;
    /// <summary>Stop after this many optimiser steps even if epochs remain (null = run all epochs).</summary>
    public long? MaxSteps { get; set; }
    /// <summary>Validate every N epochs (0 = never).</summary>
    public int ValidateEvery { get; set; } = 1;
    /// <summary>Checkpoint every N epochs (the last epoch and interruptions are always checkpointed).</summary>
    public int CheckpointEvery { get; set; } = 1;
    /// <summary>Periodic checkpoints kept on disk; older ones are deleted.</summary>
    public int KeepCheckpoints { get; set; } = 3;
    /// <summary>Write a metrics-log line every N steps.</summary>
    public int LogEvery { get; set; } = 1;
    /// <summary>"auto", "cpu", "cuda", "cuda:1".</summary>
    public string Device { get; set; } = "auto";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"training config not found: {path}");
        var config = Parse(File.ReadAllText(path), path);
        config.Validate(path);
        return config;
    }

    /// <summary>Parses YAML or JSON text; <paramref name="origin"/> names the source in error messages.</summary>
    public static TrainingConfig Parse(string text, string origin = "config")
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithTypeConverter(new OptionSectionYamlConverter()).Build();
        try
        {
            var config = deserializer.Deserialize<TrainingConfig>(text) ?? new TrainingConfig();
            // `model:` with nothing under it deserialises to null rather than to the section's defaults.
            foreach (var (section, value) in new (string, object?)[] { ("model", config.Model), ("data", config.Data), ("loss", config.Loss), ("optimizer", config.Optimizer), ("schedule", config.Schedule) })
                if (value is null) throw new InvalidDataException($"{origin}: section '{section}' is empty; give its keys or leave it out for the defaults");
            RejectEmptyKeys(config, "", origin);
            config.RecipeOptions = (config.RecipeOptions ?? new()).At("recipe_options");
            for (int i = 0; i < (config.Loss.Terms?.Count ?? 0); i++)
                (config.Loss.Terms![i] ?? throw new InvalidDataException($"{origin}: loss.terms[{i}] is empty")).At($"loss.terms[{i}]");
            foreach (var (network, terms) in config.Losses ?? [])
            {
                if (terms is null) throw new InvalidDataException($"{origin}: losses.{network} is empty; list its loss terms");
                for (int i = 0; i < terms.Count; i++)
                    (terms[i] ?? throw new InvalidDataException($"{origin}: losses.{network}[{i}] is empty")).At($"losses.{network}[{i}]");
            }
            return config;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{origin}: YAML syntax error ({e.Message.Split('\n')[0]})");
        }
        catch (ArgumentException e) when (e.Source == "YamlDotNet")
        {
            // The parser throws plain ArgumentException for some malformed tags ("!![["), not YamlException.
            throw new InvalidDataException($"{origin}: YAML syntax error ({e.Message.Split('\n')[0]})");
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException ?? e).Message.Split('\n')[0];
            if (reason.Contains("not found on type")) reason = reason.Replace("HdrKit.Training.", "") + " (unknown key)";
            throw new InvalidDataException($"{origin}: line {e.Start.Line}: {reason}");
        }
    }

    /// <summary>
    /// `kind:` or `stops:` with no value deserialises to null even where the property is declared non-nullable;
    /// named here, instead of surfacing as a NullReferenceException deep in a run.
    /// </summary>
    private static void RejectEmptyKeys(object section, string path, string origin)
    {
        var nullability = new System.Reflection.NullabilityInfoContext();
        foreach (var property in section.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (!property.CanWrite || property.GetIndexParameters().Length > 0) continue;
            var value = property.GetValue(section);
            string key = path + UnderscoredNamingConvention.Instance.Apply(property.Name);
            if (value is null)
            {
                if (!property.PropertyType.IsValueType && nullability.Create(property).WriteState == System.Reflection.NullabilityState.NotNull)
                    throw new InvalidDataException($"{origin}: {key} is empty; give a value or leave the key out for the default");
                continue;
            }
            if (property.PropertyType.Namespace == typeof(TrainingConfig).Namespace && property.PropertyType.IsClass && property.PropertyType != typeof(OptionSection))
                RejectEmptyKeys(value, key + ".", origin);
            else if (value is System.Collections.IEnumerable items and not string)
            {
                int i = 0;
                foreach (var item in items)
                {
                    if (item is not null and not OptionSection && item.GetType() is { IsClass: true } t && t.Namespace == typeof(TrainingConfig).Namespace)
                        RejectEmptyKeys(item, $"{key}[{i}].", origin);
                    i++;
                }
            }
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Checks ranges and names that would otherwise fail deep inside a run; one sentence per problem.</summary>
    public void Validate(string origin = "config")
    {
        void Fail(string what) => throw new InvalidDataException($"{origin}: {what}");
        if (string.IsNullOrWhiteSpace(Model.Name)) Fail("model.name is missing (a registry name, see `hdrkit info`)");
        if (!RecipeRegistry.Contains(Recipe)) Fail($"unknown recipe '{Recipe}'; known: {string.Join(", ", RecipeRegistry.Names)}");
        if (Epochs < 1) Fail($"epochs must be ≥ 1, got {Epochs}");
        if (MaxSteps is < 1) Fail($"max_steps must be ≥ 1, got {MaxSteps}");
        if (ValidateEvery < 0 || CheckpointEvery < 1 || LogEvery < 1 || KeepCheckpoints < 1)
            Fail("validate_every must be ≥ 0 and checkpoint_every, log_every, keep_checkpoints ≥ 1");
        var sources = Data.EffectiveSources();
        for (int i = 0; i < sources.Count; i++)
        {
            var s = sources[i];
            string where = Data.Sources.Count > 0 ? $"data.sources[{i}]" : "data";
            if (!DataSourceRegistry.Contains(s.Type)) Fail($"{where}: unknown type '{s.Type}'; known: {string.Join(", ", DataSourceRegistry.Names)}");
            if (s.Type is "kalantari" or "brackets" && string.IsNullOrWhiteSpace(s.Path)) Fail($"{where}.path is required for type {s.Type}");
            try { s.Labelled.ToSubset().Validate(); }
            catch (ArgumentException e) { Fail($"{where}.labelled: {e.Message}"); }
        }
        try { HdrKit.Data.AugmentationOptions.Named(Data.Augment); }
        catch (ArgumentException e) { Fail($"data.{e.Message}"); }
        if (Data.PatchSize < 8) Fail($"data.patch_size must be ≥ 8, got {Data.PatchSize}");
        if (Data.BatchSize < 1) Fail($"data.batch_size must be ≥ 1, got {Data.BatchSize}");
        if (Data.LabelledPerBatch is { } quota && (quota < 0 || quota > Data.BatchSize))
            Fail($"data.labelled_per_batch must lie in [0, data.batch_size = {Data.BatchSize}], got {quota}");
        if (Data.BatchesPerEpoch is < 1) Fail($"data.batches_per_epoch must be ≥ 1, got {Data.BatchesPerEpoch}");
        if (Data.Stops.Length < 1) Fail("data.stops needs at least one exposure");
        // Only data without stops of its own reads data.stops; folders and the simulator are checked against the model when built.
        if (sources.Any(s => s.Type == "synthetic") && Data.Stops.Length != Model.Exposures)
            Fail($"data.stops lists {Data.Stops.Length} exposures but model.exposures is {Model.Exposures}");
        if (!Data.Stops.Zip(Data.Stops.Skip(1)).All(p => p.First < p.Second)) Fail("data.stops must increase (short → long exposure)");
        if (Loss.Terms is null)
        {
            if (Loss.MuL1 < 0 || Loss.LinearL1 < 0 || Loss.Perceptual < 0) Fail("loss weights must be ≥ 0");
            if (Loss.MuL1 + Loss.LinearL1 + Loss.Perceptual <= 0) Fail("all loss weights are 0: nothing to train");
            if (Loss.Perceptual > 0 && Loss.PerceptualLayers.Length == 0) Fail("loss.perceptual_layers is empty");
        }
        else if (Loss.HasFixedWeights) Fail("loss.terms replaces loss.mu_l1, linear_l1 and perceptual: give one or the other");
        foreach (var (section, terms) in (Losses ?? []).Select(kv => ($"losses.{kv.Key}", (IReadOnlyList<OptionSection>)kv.Value)).Prepend(("loss", Loss.ToTerms())))
        {
            if (terms.Count == 0) Fail($"{section} has no terms: nothing to train");
            try { foreach (var term in terms) LossRegistry.Check(term); }
            catch (InvalidDataException e) { Fail(e.Message); }
        }
        if (Optimizer.Kind.ToLowerInvariant() != "adam") Fail($"optimizer.kind '{Optimizer.Kind}' is not supported (adam)");
        if (!(Optimizer.Lr > 0)) Fail($"optimizer.lr must be > 0, got {Optimizer.Lr}");
        if (Optimizer.Beta1 is < 0 or >= 1 || Optimizer.Beta2 is < 0 or >= 1) Fail("optimizer.beta1 and beta2 must lie in [0, 1)");
        if (Optimizer.Eps < 0 || Optimizer.WeightDecay < 0) Fail("optimizer.eps and weight_decay must be ≥ 0");
        try { LearningRateSchedule.Create(Schedule, Optimizer.Lr, Epochs); }
        catch (ArgumentException e) { Fail(e.Message); }
    }
}
