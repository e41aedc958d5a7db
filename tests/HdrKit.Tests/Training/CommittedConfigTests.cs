using System.Text.Json.Nodes;
using HdrKit.Training;

namespace HdrKit.Tests.Training;

/// <summary>Every committed config and checkpoint sidecar still loads, and a sidecar's config re-serialises to itself.</summary>
public sealed class CommittedConfigTests
{
    private static string Repo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HdrKit.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("HdrKit.slnx not found above the test binaries");
    }

    public static TheoryData<string> Configs() => new(Directory.GetFiles(Path.Combine(Repo(), "configs"), "*.yaml").Select(Path.GetFileName).Order()!);

    public static TheoryData<string> Sidecars() => new(Directory.GetFiles(Path.Combine(Repo(), "checkpoints"), "*.json", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(Repo(), p)).Order());

    [Theory]
    [MemberData(nameof(Configs))]
    public void Committed_config_loads_and_validates(string name)
    {
        var config = TrainingConfig.Load(Path.Combine(Repo(), "configs", name));
        Assert.False(string.IsNullOrEmpty(config.Model.Name));
        Assert.NotEmpty(config.Loss.ToTerms());
        Assert.Equal(config.ToJson(), TrainingConfig.Parse(config.ToJson()).ToJson());
    }

    [Theory]
    [MemberData(nameof(Sidecars))]
    public void Committed_checkpoint_sidecar_reads_and_its_config_is_unchanged(string relative)
    {
        var path = Path.Combine(Repo(), relative);
        var info = Checkpoint.Read(path);
        info.Config.Validate(path);
        // The resume fingerprint compares configs by their JSON: a drift here would refuse to resume these runs.
        var stored = JsonNode.Parse(File.ReadAllText(path))!["config"]!;
        var reparsed = JsonNode.Parse(info.Config.ToJson())!;
        // Keys added since the sidecar was written appear with their defaults; every stored key keeps its value.
        Assert.True(Keeps(stored, reparsed, out var where), $"{relative}: config.{where} changed: stored {stored.ToJsonString()}\nre-serialised {reparsed.ToJsonString()}");
    }

    private static bool Keeps(JsonNode? stored, JsonNode? now, out string where)
    {
        where = "";
        // A scalar may change its JSON type but not its value: `augment: true` became the string "true"
        // when augment took none | weak | strong, and still means weak.
        if (stored is JsonValue sv && now is JsonValue nv) return Text(sv) == Text(nv);
        if (stored is not JsonObject o || now is not JsonObject n) return JsonNode.DeepEquals(stored, now);
        foreach (var (key, value) in o)
        {
            string inner = "";
            if (!n.TryGetPropertyValue(key, out var other) || !Keeps(value, other, out inner))
            {
                where = inner.Length > 0 ? $"{key}.{inner}" : key;
                return false;
            }
        }
        return true;
    }

    private static string Text(JsonValue v) => v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
}
