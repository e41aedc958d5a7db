using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Tests.Weights;

public class StateDictLoaderTests
{
    /// <summary>Two levels of nesting, a parameter without bias and BatchNorm buffers: the shapes names take in real networks.</summary>
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly Sequential head;

        public Tiny(int width = 4) : base(nameof(Tiny))
        {
            conv = nn.Conv2d(3, width, 3, padding: 1, bias: false);
            head = nn.Sequential(("bn", nn.BatchNorm2d(width)), ("proj", nn.Conv2d(width, 2, 1)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => head.forward(conv.forward(x));
    }

    private static Dictionary<string, Tensor> RandomStateOf(Tiny m, ScalarType dtype = ScalarType.Float32, int seed = 7)
    {
        var g = new Generator((ulong)seed);
        return m.state_dict().ToDictionary(kv => kv.Key,
            // Positive values so that running_var is a valid variance in eval mode.
            kv => kv.Value.is_floating_point() ? (torch.rand(kv.Value.shape, generator: g) + Scalars.Of(0.5)).to(dtype) : torch.full(kv.Value.shape, Scalars.Of(5L)));
    }

    [Fact]
    public void Loads_every_parameter_and_buffer_by_name()
    {
        using var m = new Tiny();
        var sd = RandomStateOf(m);
        var result = StateDictLoader.Load(m, sd);

        Assert.True(result.IsExact);
        Assert.Equal(["conv.weight", "head.bn.bias", "head.bn.num_batches_tracked", "head.bn.running_mean", "head.bn.running_var",
            "head.bn.weight", "head.proj.bias", "head.proj.weight"], result.Loaded.Order(StringComparer.Ordinal));
        foreach (var (name, t) in m.state_dict())
            TensorAssert.Exact(sd[name].to(t.dtype), t, name);
    }

    [Fact]
    public void Converts_dtype_to_the_module_dtype()
    {
        using var m = new Tiny();
        var sd = RandomStateOf(m, ScalarType.Float64);
        StateDictLoader.Load(m, sd);
        var w = m.state_dict()["conv.weight"];
        Assert.Equal(ScalarType.Float32, w.dtype);
        TensorAssert.Exact(sd["conv.weight"].to(ScalarType.Float32), w);
    }

    [Fact]
    public void Mismatch_lists_every_offending_key_and_copies_nothing()
    {
        using var m = new Tiny();
        var before = StateDictLoader.ToDictionary(m);
        var sd = RandomStateOf(m);
        sd.Remove("head.proj.bias");
        sd["extra.weight"] = torch.zeros(1);
        sd["conv.weight"] = torch.zeros(5, 3, 3, 3);

        var e = Assert.Throws<InvalidDataException>(() => StateDictLoader.Load(m, sd, source: "ckpt.pth"));

        Assert.Contains("'ckpt.pth'", e.Message);
        Assert.Contains("missing 1 key(s): head.proj.bias", e.Message);
        Assert.Contains("unexpected 1 key(s): extra.weight", e.Message);
        Assert.Contains("conv.weight (checkpoint [5,3,3,3], model [4,3,3,3])", e.Message);
        foreach (var (name, t) in m.state_dict())
            TensorAssert.Exact(before[name], t, $"{name} (must be unchanged after a failed load)");
    }

    [Fact]
    public void Non_strict_reports_missing_and_unexpected_but_still_rejects_shapes()
    {
        using var m = new Tiny();
        var sd = RandomStateOf(m);
        sd.Remove("head.proj.bias");
        sd["extra.weight"] = torch.zeros(1);

        var result = StateDictLoader.Load(m, sd, new StateDictOptions { Strict = false });
        Assert.Equal(["head.proj.bias"], result.Missing);
        Assert.Equal(["extra.weight"], result.Unexpected);
        TensorAssert.Exact(sd["conv.weight"], m.state_dict()["conv.weight"]);

        sd["conv.weight"] = torch.zeros(4, 3, 1, 1);
        Assert.Throws<InvalidDataException>(() => StateDictLoader.Load(m, sd, new StateDictOptions { Strict = false }));
    }

    [Fact]
    public void Strips_the_DataParallel_prefix_and_honours_ignored_prefixes()
    {
        using var m = new Tiny();
        var sd = RandomStateOf(m).ToDictionary(kv => "module." + kv.Key, kv => kv.Value);
        sd["module.aux.weight"] = torch.ones(3);

        var result = StateDictLoader.Load(m, sd, new StateDictOptions { IgnorePrefixes = ["aux."] });
        Assert.True(result.IsExact);
        TensorAssert.Exact(sd["module.head.proj.weight"], m.state_dict()["head.proj.weight"]);

        Assert.Throws<InvalidDataException>(() => StateDictLoader.Load(m, sd, new StateDictOptions { StripDataParallelPrefix = false }));
    }

    [Fact]
    public void Round_trips_through_safetensors()
    {
        using var dir = new TestData.TempDir();
        using var a = new Tiny();
        StateDictLoader.Load(a, RandomStateOf(a, seed: 3));
        SafeTensors.Save(dir.File("tiny.safetensors"), StateDictLoader.ToDictionary(a));

        using var b = new Tiny();
        StateDictLoader.LoadFile(b, dir.File("tiny.safetensors"));
        using var x = torch.randn(1, 3, 8, 8);
        a.eval(); b.eval();
        TensorAssert.Exact(a.forward(x), b.forward(x));
    }
}
