using System.Text.Json.Nodes;
using HdrKit.Training;

namespace HdrKit.Tests.Training;

/// <summary>Typed recipe options: scalars, lists, nested maps, key-naming errors, the JSON round trip of checkpoints.</summary>
public sealed class OptionSectionTests
{
    private const string Yaml = """
        model: { name: test-tiny }
        recipe_options:
          ema_alpha: 0.999
          quoted: "0.5"
          milestones: [300, 350, 400]
          ratios: [0.5, 0.75, 1]
          use_judge: true
          name: teacher
          curriculum:
            epochs: 40
            stages: { first: 1, last: [2, 3] }
          empty:
        """;

    [Fact]
    public void Numbers_lists_bools_and_nested_maps_parse_to_their_types()
    {
        var o = TrainingConfig.Parse(Yaml).RecipeOptions;
        Assert.Equal(0.999, o.GetDouble("ema_alpha"));
        Assert.Equal(0.5, o.GetDouble("quoted"));
        Assert.Equal([300, 350, 400], o.GetList<int>("milestones"));
        Assert.Equal([0.5, 0.75, 1.0], o.GetList<double>("ratios"));
        Assert.True(o.GetBool("use_judge"));
        Assert.Equal("teacher", o.GetString("name"));
        var curriculum = o.GetSection("curriculum");
        Assert.Equal(40, curriculum.GetInt("epochs"));
        Assert.Equal([2L, 3L], curriculum.GetSection("stages").GetList<long>("last"));
        Assert.Null(o["empty"]);
        Assert.Equal(7, o.GetInt("absent", 7));
        Assert.Equal([1, 2], o.GetList<int>("absent", [1, 2]));
        Assert.Equal(0, o.GetSection("absent").Count);
    }

    [Theory]
    [InlineData("milestones", "recipe_options.milestones: expected a single value")]
    [InlineData("name", "recipe_options.name: expected a number, got 'teacher'")]
    [InlineData("curriculum", "recipe_options.curriculum: expected a single value")]
    [InlineData("absent", "recipe_options.absent is required")]
    public void A_bad_type_names_the_key(string key, string message)
    {
        var o = TrainingConfig.Parse(Yaml).RecipeOptions;
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => o.GetDouble(key)).Message);
    }

    [Fact]
    public void List_and_section_errors_name_the_element()
    {
        var o = TrainingConfig.Parse(Yaml).RecipeOptions;
        Assert.Contains("recipe_options.ratios[0]: expected a whole number, got '0.5'", Assert.Throws<InvalidDataException>(() => o.GetList<int>("ratios")).Message);
        Assert.Contains("recipe_options.curriculum.stages.first: expected a list", Assert.Throws<InvalidDataException>(() => o.GetSection("curriculum").GetSection("stages").GetList<int>("first")).Message);
        Assert.Contains("recipe_options.name: expected a map", Assert.Throws<InvalidDataException>(() => o.GetSection("name")).Message);
        Assert.Contains("recipe_options.use_judge: expected a list", Assert.Throws<InvalidDataException>(() => o.GetList<bool>("use_judge")).Message);
    }

    [Fact]
    public void Options_survive_the_checkpoint_json_round_trip_with_json_types()
    {
        var config = TrainingConfig.Parse(Yaml);
        var json = config.ToJson();
        var node = JsonNode.Parse(json)!["recipe_options"]!;
        Assert.Equal(300, (int)node["milestones"]![0]!);          // a number, not "300"
        Assert.True((bool)node["use_judge"]!);
        Assert.Equal("teacher", (string)node["name"]!);
        var again = TrainingConfig.Parse(json).RecipeOptions;
        Assert.Equal([300, 350, 400], again.GetList<int>("milestones"));
        Assert.Equal(40, again.GetSection("curriculum").GetInt("epochs"));
        Assert.Equal(json, TrainingConfig.Parse(json).ToJson());
    }

    [Fact]
    public void Options_set_from_code_read_back_like_parsed_ones()
    {
        var o = new OptionSection("recipe_options").Set("alpha", 0.1).Set("steps", new[] { 1, 2 }).Set("inner", new Dictionary<string, object> { ["on"] = true });
        Assert.Equal(0.1, o.GetDouble("alpha"));
        Assert.Equal([1, 2], o.GetList<int>("steps"));
        Assert.True(o.GetSection("inner").GetBool("on"));
        Assert.Equal("recipe_options.inner", o.GetSection("inner").Path);
    }
}
