using System.Text.RegularExpressions;
using HdrKit.Util;

namespace HdrKit.Tests.Architecture;

/// <summary>
/// Enforces the dependency directions of docs/architecture.md on the source: a layer uses another when one of its
/// code lines (comments excluded) names it, by a using directive, fully qualified (HdrKit.Classical.X) or relative
/// to the enclosing HdrKit namespace (Weights.X).
/// </summary>
public class LayeringTests
{
    // Layer → layers it must never use.
    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "Models", ["Classical", "Inference", "Training", "Data", "Metrics", "Losses", "Semantic", "Cli"] },
        { "Imaging", ["Exposure", "Classical", "Models", "Inference", "Training", "Cli"] },
        { "Classical", ["Models", "Inference", "Training", "Cli"] },
        { "Metrics", ["Models", "Inference", "Training", "Cli"] },
        { "Inference", ["Training", "Cli"] },
        { "Weights", ["Models", "Inference", "Training", "Cli"] },
        { "Util", ["Imaging", "Exposure", "Classical", "Data", "Models", "Inference", "Semantic", "Losses", "Training", "Metrics", "Weights", "Cli"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void LayerDoesNotUseForbiddenLayers(string layer, string[] forbidden)
    {
        var uses = LayersUsedBy(layer);
        var violations = uses.Where(u => forbidden.Contains(u.Layer)).Select(u => $"{u.File}: {u.Line}").ToList();
        Assert.True(violations.Count == 0, $"{layer} must not use {string.Join(", ", forbidden)}:\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void NoLibraryLayerUsesTheCli()
    {
        var folders = Directory.EnumerateDirectories(LibraryFolder()).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.All(folders, f => Assert.True(IsLayer(f), $"src/HdrKit/{f} is not a layer of docs/architecture.md"));
        foreach (var layer in folders)
            Assert.DoesNotContain(LayersUsedBy(layer!), u => u.Layer == "Cli");
    }

    [Fact]
    public void TheArchitectureTableMatchesTheCode()
    {
        var doc = File.ReadAllText(Path.Combine(LibraryFolder(), "..", "..", "docs", "architecture.md"));
        int a = doc.IndexOf("<!-- layers:begin -->", StringComparison.Ordinal), b = doc.IndexOf("<!-- layers:end -->", StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, "docs/architecture.md has no layers table");
        var documented = doc[a..b].Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| layer")).Select(l => l.Trim()).ToList();
        var actual = Layers.Select(l =>
        {
            var used = LayersUsedBy(l).Select(u => u.Layer).ToHashSet();
            var ordered = Layers.Where(used.Contains).ToList();
            return $"| {l} | {(ordered.Count == 0 ? "—" : string.Join(", ", ordered))} |";
        }).ToList();
        Assert.True(documented.SequenceEqual(actual), "docs/architecture.md's table is out of date; the code says:\n" + string.Join("\n", actual));
    }

    [Fact]
    public void DetectorSeesEachWayOfNamingALayer()
    {
        // Guards the scan itself: a detector that finds nothing would make every test above pass.
        Assert.Equal(["Classical"], Referenced("using HdrKit.Classical;", "Models"));
        Assert.Equal(["Weights"], Referenced("    public Weights.StateDictLoadResult LoadWeights(string path) =>", "Models"));
        Assert.Equal(["Inference"], Referenced("var m = new HdrKit.Inference.NetworkMerger(net);", "Models"));
        Assert.Empty(Referenced("/// <summary>Unlike Classical.ClassicalMerger, …</summary>", "Models"));
        Assert.Empty(Referenced("x = y; // see Training.Trainer", "Models"));
        Assert.Empty(Referenced("var span = Data.AsSpan(0, n);", "Imaging"));
        Assert.Contains(LayersUsedBy("Inference"), u => u.Layer == "Classical");
    }

    private static readonly string[] Layers =
        ["Imaging", "Exposure", "Classical", "Data", "Models", "Inference", "Semantic", "Losses", "Training", "Metrics", "Weights", "Util", "Cli"];

    // HdrKit.Layer (usings, qualified names) or Layer.Type (relative to the enclosing HdrKit namespace).
    private static readonly string LayerNames = string.Join("|", Layers);
    private static readonly Regex Reference = new(@"(?<![\w.])(?:HdrKit\.(?<layer>" + LayerNames + @")\b|(?<layer>" + LayerNames + @")\.(?<member>[A-Z]\w*))", RegexOptions.Compiled);

    // The relative form only counts when the name after the dot is a type or namespace of that layer, so a property
    // such as FloatImage.Data (Data.AsSpan()) is not mistaken for the Data layer.
    private static readonly Dictionary<string, HashSet<string>> LayerMembers =
        new[] { typeof(RepoPaths).Assembly, typeof(HdrKit.Cli.CliRunner).Assembly }.SelectMany(a => a.GetTypes())
            .Where(t => t.Namespace?.StartsWith("HdrKit.", StringComparison.Ordinal) == true)
            .Select(t => (Parts: t.Namespace!.Split('.'), Name: t.Name.Split('`')[0]))
            .GroupBy(t => t.Parts[1], t => t.Parts.Length > 2 ? t.Parts[2] : t.Name)
            .ToDictionary(g => g.Key, g => g.ToHashSet());

    private static bool IsLayer(string? name) => name != null && Layers.Contains(name);

    internal static string LibraryFolder()
    {
        var root = RepoPaths.Root;
        if (root == null) Assert.Skip("source checkout not found (HdrKit.slnx)");
        return Path.Combine(root!, "src", "HdrKit");
    }

    internal static List<(string Layer, string File, string Line)> LayersUsedBy(string layer)
    {
        var folder = layer == "Cli" ? Path.Combine(LibraryFolder(), "..", "HdrKit.Cli") : Path.Combine(LibraryFolder(), layer);
        Assert.True(Directory.Exists(folder), $"no layer folder {folder}");
        var uses = new List<(string, string, string)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            foreach (var line in File.ReadLines(file))
                foreach (var used in Referenced(line, layer))
                    uses.Add((used, Path.GetRelativePath(Path.Combine(LibraryFolder(), ".."), file), line.Trim()));
        }
        return uses;
    }

    /// <summary>Layers other than its own that one source line names outside comments and string literals.</summary>
    internal static List<string> Referenced(string line, string ownLayer)
    {
        var code = line;
        int comment = code.IndexOf("//", StringComparison.Ordinal);
        if (comment >= 0) code = code[..comment];
        code = Regex.Replace(code, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        return Reference.Matches(code)
            .Where(m => !m.Groups["member"].Success || LayerMembers.GetValueOrDefault(m.Groups["layer"].Value)?.Contains(m.Groups["member"].Value) == true)
            .Select(m => m.Groups["layer"].Value)
            .Where(l => l != ownLayer).Distinct().ToList();
    }
}
