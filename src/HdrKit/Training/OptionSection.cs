using System.Globalization;
using System.Text.Json.Serialization;

namespace HdrKit.Training;

/// <summary>
/// A free-form config map read with typed getters: `recipe_options`, a loss term's options. Values are scalars
/// (kept as their text, so `0.999`, `"0.999"` and JSON's 0.999 are the same option), lists (`[300, 350, 400]`)
/// or nested maps. A getter converts on access and a value of the wrong type fails naming its full key
/// (`recipe_options.milestones[1]`), so each recipe states the types it needs where it reads them.
/// </summary>
[JsonConverter(typeof(OptionSectionJsonConverter))]
public sealed class OptionSection
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public OptionSection(string path = "") => Path = path;

    /// <summary>The key path of this section in the config ("recipe_options", "losses.orm[0]"), for messages.</summary>
    public string Path { get; private set; }

    public IEnumerable<string> Keys => _values.Keys;

    public int Count => _values.Count;

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The raw value: a string (scalar), an <see cref="IReadOnlyList{T}"/> of values, an <see cref="OptionSection"/> or null.</summary>
    public object? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>
    /// Sets a value from code; numbers and bools are stored as invariant text like scalars read from YAML, sequences as
    /// lists, dictionaries as sections.
    /// </summary>
    public OptionSection Set(string key, object? value)
    {
        _values[key] = Normalise(value, Child(key));
        return this;
    }

    public string GetString(string key, string? fallback = null) =>
        Scalar(key) ?? fallback ?? throw Missing(key);

    public int GetInt(string key, int? fallback = null) => Get(key, fallback, ParseInt);

    public long GetLong(string key, long? fallback = null) => Get(key, fallback, ParseLong);

    public double GetDouble(string key, double? fallback = null) => Get(key, fallback, ParseDouble);

    public bool GetBool(string key, bool? fallback = null) => Get(key, fallback, ParseBool);

    /// <summary>A list of scalars converted to <typeparamref name="T"/> (int, long, float, double, bool, string).</summary>
    public IReadOnlyList<T> GetList<T>(string key, IReadOnlyList<T>? fallback = null)
    {
        if (!_values.TryGetValue(key, out var value) || value is null) return fallback ?? throw Missing(key);
        if (value is not IReadOnlyList<object?> list) throw new InvalidDataException($"{Child(key)}: expected a list like [1, 2, 3], got {Describe(value)}");
        var result = new T[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            var where = $"{Child(key)}[{i}]";
            result[i] = list[i] is string text ? Parse<T>(text, where) : throw new InvalidDataException($"{where}: expected a {TypeName<T>()}, got {Describe(list[i])}");
        }
        return result;
    }

    /// <summary>The nested map under <paramref name="key"/>; an empty section when absent.</summary>
    public OptionSection GetSection(string key) => _values.GetValueOrDefault(key) switch
    {
        null => new OptionSection(Child(key)),
        OptionSection s => s,
        var other => throw new InvalidDataException($"{Child(key)}: expected a map like {{ key: value }}, got {Describe(other)}"),
    };

    /// <summary>A list of maps (e.g. loss terms).</summary>
    public IReadOnlyList<OptionSection> GetSections(string key)
    {
        if (!_values.TryGetValue(key, out var value) || value is null) return [];
        if (value is not IReadOnlyList<object?> list) throw new InvalidDataException($"{Child(key)}: expected a list of maps, got {Describe(value)}");
        return list.Select((v, i) => v as OptionSection ?? throw new InvalidDataException($"{Child(key)}[{i}]: expected a map, got {Describe(v)}")).ToArray();
    }

    /// <summary>Renames this section and its children (the YAML reader does not know under which key it sits).</summary>
    public OptionSection At(string path)
    {
        Path = path;
        foreach (var (key, value) in _values) Rename(value, Child(key));
        return this;
    }

    private static void Rename(object? value, string path)
    {
        if (value is OptionSection s) s.At(path);
        else if (value is IReadOnlyList<object?> list)
            for (int i = 0; i < list.Count; i++) Rename(list[i], $"{path}[{i}]");
    }

    internal void SetRaw(string key, object? value) => _values[key] = value;

    private string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private string? Scalar(string key) => _values.GetValueOrDefault(key) switch
    {
        null => null,
        string s => s,
        var other => throw new InvalidDataException($"{Child(key)}: expected a single value, got {Describe(other)}"),
    };

    private T Get<T>(string key, T? fallback, Func<string, string, T> parse) where T : struct =>
        Scalar(key) is { } text ? parse(text, Child(key)) : fallback ?? throw Missing(key);

    private InvalidDataException Missing(string key) => new($"{Child(key)} is required");

    private static T Parse<T>(string text, string where) => (T)(object)(typeof(T) switch
    {
        var t when t == typeof(int) => ParseInt(text, where),
        var t when t == typeof(long) => ParseLong(text, where),
        var t when t == typeof(double) => ParseDouble(text, where),
        var t when t == typeof(float) => (float)ParseDouble(text, where),
        var t when t == typeof(bool) => ParseBool(text, where),
        var t when t == typeof(string) => text,
        var t => throw new NotSupportedException($"{where}: options of type {t.Name} are not supported"),
    });

    private static string TypeName<T>() => typeof(T) == typeof(int) || typeof(T) == typeof(long) ? "whole number"
        : typeof(T) == typeof(double) || typeof(T) == typeof(float) ? "number" : typeof(T) == typeof(bool) ? "true or false" : "value";

    private static int ParseInt(string text, string where) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(where, "a whole number", text);

    private static long ParseLong(string text, string where) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(where, "a whole number", text);

    private static double ParseDouble(string text, string where) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(where, "a number", text);

    private static bool ParseBool(string text, string where) =>
        bool.TryParse(text, out var v) ? v : throw Bad(where, "true or false", text);

    private static InvalidDataException Bad(string where, string expected, string text) => new($"{where}: expected {expected}, got '{text}'");

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"'{s}'",
        OptionSection => "a map",
        IReadOnlyList<object?> => "a list",
        _ => value.GetType().Name,
    };

    private static object? Normalise(object? value, string path) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(value is double or float ? "R" : null, CultureInfo.InvariantCulture),
        OptionSection s => s.At(path),
        System.Collections.IDictionary d => FromDictionary(d, path),
        System.Collections.IEnumerable e => e.Cast<object?>().Select((v, i) => Normalise(v, $"{path}[{i}]")).ToList(),
        _ => throw new ArgumentException($"{path}: cannot store a {value.GetType().Name} as an option"),
    };

    private static OptionSection FromDictionary(System.Collections.IDictionary d, string path)
    {
        var section = new OptionSection(path);
        foreach (System.Collections.DictionaryEntry kv in d) section.Set(Convert.ToString(kv.Key, CultureInfo.InvariantCulture)!, kv.Value);
        return section;
    }
}
