using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>Training methods by name, as configs choose them (`recipe: supervised`).</summary>
public static class RecipeRegistry
{
    private static readonly Dictionary<string, Func<TrainingConfig, Device, TrainingRecipe>> Entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["supervised"] = (config, device) => new SupervisedRecipe(config, device),
        [Recipes.SemiSupervisedRecipe.RegistryName] = (config, device) => new Recipes.SemiSupervisedRecipe(config, device),
        ["smhdr"] = (config, device) => new Recipes.SmhdrRecipe(config, device),
        ["skt"] = (config, device) => new Recipes.SktRecipe(config, device),
    };

    public static void Register(string name, Func<TrainingConfig, Device, TrainingRecipe> create) => Entries[name] = create;

    public static bool Contains(string name) => Entries.ContainsKey(name);

    public static IEnumerable<string> Names => Entries.Keys.Order();

    public static TrainingRecipe Create(TrainingConfig config, Device device) =>
        Entries.TryGetValue(config.Recipe, out var create) ? create(config, device)
            : throw new ArgumentException($"unknown recipe '{config.Recipe}'; known: {string.Join(", ", Names)}");
}
