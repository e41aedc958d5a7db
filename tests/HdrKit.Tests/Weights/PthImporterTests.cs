using HdrKit.Util;
using System.Text.Json;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Weights;

/// <summary>Golden checkpoints and expected values come from Fixtures/Weights/make_pth.py (PyTorch 1.13).</summary>
public class PthImporterTests
{
    private static readonly string Tiny = TestData.Fixture("Weights", "tiny.pth");

    [Fact]
    public void Decodes_every_dtype_view_offset_and_scalar_exactly()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("Weights", "tiny_expected.json")));
        var tensors = PthImporter.Load(Tiny);
        var expected = json.RootElement.EnumerateObject().Where(p => p.Name != "__shared__").ToList();

        Assert.Equal(expected.Select(p => p.Name).Order(), tensors.Keys.Order());
        foreach (var entry in expected)
        {
            var t = tensors[entry.Name];
            Assert.Equal(entry.Value.GetProperty("dtype").GetString(), DTypeName(t.dtype));
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), t.shape);
            var values = entry.Value.GetProperty("values").EnumerateArray().ToList();
            if (t.dtype == ScalarType.Bool)
            {
                Assert.Equal(values.Select(v => v.GetBoolean()), t.reshape(-1).data<bool>().ToArray());
            }
            else if (t.is_floating_point())
            {
                // JSON holds Python's round-tripping repr of each value, so equality is exact.
                Assert.Equal(values.Select(v => v.GetDouble()), t.to(ScalarType.Float64).reshape(-1).data<double>().ToArray());
            }
            else
            {
                Assert.Equal(values.Select(v => v.GetInt64()), t.to(ScalarType.Int64).reshape(-1).data<long>().ToArray());
            }
        }
    }

    [Fact]
    public void Keeps_views_and_shared_storages()
    {
        var tensors = PthImporter.Load(Tiny);
        Assert.False(tensors["transposed"].is_contiguous());
        Assert.Equal([1L, 4L], tensors["transposed"].stride());
        Assert.Equal(5, tensors["slice"].storage_offset());
        Assert.Equal(0, tensors["scalar"].dim());

        // shared_b is row 1 of shared_a's storage: writing through one is visible through the other, as in PyTorch.
        tensors["shared_a"][1].fill_(Scalars.Of(42f));
        Assert.Equal([42f, 42f, 42f], tensors["shared_b"].data<float>().ToArray());
    }

    [Fact]
    public void Picks_the_state_dict_of_a_training_checkpoint_or_the_key_asked_for()
    {
        Assert.Equal(16, PthImporter.Load(Tiny).Count);
        Assert.Equal(16, PthImporter.Load(Tiny, "state_dict").Count);
        var e = Assert.Throws<ArgumentException>(() => PthImporter.Load(Tiny, "optimizer"));
        Assert.Contains("state_dict (16 tensors), epoch (int), note (str)", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => PthImporter.Load(Tiny, "epoch"));
        Assert.Contains("not a dictionary of tensors", e2.Message);
    }

    [Fact]
    public void Plain_state_dict_with_DataParallel_prefix_loads_by_name()
    {
        var tensors = PthImporter.Load(TestData.Fixture("Weights", "tiny_plain.pth"));
        Assert.All(tensors.Keys, k => Assert.StartsWith("module.", k));
        using var conv = nn.Conv2d(3, 2, 3);
        var result = StateDictLoader.Load(conv, new Dictionary<string, Tensor> { ["module.weight"] = tensors["module.conv.weight"], ["module.bias"] = torch.zeros(2) });
        Assert.True(result.IsExact);
        TensorAssert.Exact(tensors["module.conv.weight"], conv.weight!.detach());
    }

    [Theory]
    [InlineData("evil_posix_system.pth", "posix.system")]
    [InlineData("evil_builtins_eval.pth", "__builtin__.eval")]
    public void Refuses_pickles_that_call_anything_else(string file, string global)
    {
        const string marker = "/tmp/hdrkit-evil-pickle-ran";
        File.Delete(marker);
        var e = Assert.Throws<InvalidDataException>(() => PthImporter.Load(TestData.Fixture("Weights", file)));
        Assert.Contains($"Python global {global}", e.Message);
        Assert.Contains(file, e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Rejects_files_that_are_not_zip_checkpoints()
    {
        using var dir = new TestData.TempDir();
        File.WriteAllBytes(dir.File("legacy.pth"), [0x80, 0x02, 0x8a, 0x0a]);
        var e = Assert.Throws<InvalidDataException>(() => PthImporter.Load(dir.File("legacy.pth")));
        Assert.Contains("torch ≥ 1.6", e.Message);
    }

    [Fact]
    public void Imports_the_released_SAFNet_S_weights()
    {
        var path = TestData.SharedOrSkip("models", "safnet-s", "SAFNet_S_siggraph17.pth");
        var tensors = PthImporter.Load(path);
        Assert.Equal(61, tensors.Count);
        Assert.Equal(566_713, tensors.Values.Sum(t => t.numel()));
        Assert.Equal([120L, 6, 4, 4], tensors["decoder.conv6.weight"].shape);
        Assert.All(tensors.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
    }

    private static string DTypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "float32", ScalarType.Float16 => "float16", ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float64 => "float64", ScalarType.Int64 => "int64", ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16", ScalarType.Int8 => "int8", ScalarType.Byte => "uint8", ScalarType.Bool => "bool",
        _ => t.ToString(),
    };
}
