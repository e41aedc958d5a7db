using System.Text.Json;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// VGG19 convolution weights in torchvision's names and layout ("features.{i}.weight", OIHW) plus the input
/// normalisation they were trained with. Holds whichever prefix of the trunk the source file contains:
/// the team's Keras export stops at conv3_4.
/// </summary>
public sealed class Vgg19Weights : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    public VggInputNorm InputNorm { get; }
    public string Source { get; }

    private Vgg19Weights(Dictionary<string, Tensor> tensors, VggInputNorm norm, string source)
    {
        _tensors = tensors; InputNorm = norm; Source = source;
    }

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>Convs with both weight and bias present, in order, stopping at the first missing one.</summary>
    public IReadOnlyList<string> AvailableConvs =>
        Vgg19Layout.Convs.TakeWhile(c => _tensors.ContainsKey(c.WeightKey) && _tensors.ContainsKey(c.BiasKey)).Select(c => c.Name).ToList();

    /// <summary>models/vgg19-keras-block1-3 in the <see cref="DataFolder"/> (HDRKIT_DATA) when present.</summary>
    public static string? DefaultPath => DataFolder.Find("models", "vgg19-keras-block1-3");

    /// <summary>A tfjs folder (or its model.json), or a .safetensors file with torchvision names.</summary>
    public static Vgg19Weights Load(string path, VggInputNorm? safetensorsNorm = null)
    {
        if (Directory.Exists(path)) return FromTfjs(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"VGG19 weights not found: {path}");
        if (Path.GetFileName(path).Equals("model.json", StringComparison.OrdinalIgnoreCase))
            return FromTfjs(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return FromSafeTensors(path, safetensorsNorm);
        throw new ArgumentException($"{path}: VGG19 weights must be a tfjs folder (model.json + shards) or a .safetensors file");
    }

    /// <summary>
    /// Reads a tfjs Layers export: model.json's weightsManifest lists groups of weights (name, shape, dtype)
    /// stored back to back, little-endian, across the group's shard files. Keras kernels are HWIO.
    /// Groups whose shards are absent are skipped, so a partial copy gives a shorter trunk.
    /// </summary>
    public static Vgg19Weights FromTfjs(string folder)
    {
        var manifestPath = Path.Combine(folder, "model.json");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{folder} has no model.json (expected a tfjs VGG19 export)");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        if (!doc.RootElement.TryGetProperty("weightsManifest", out var manifest) || manifest.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{manifestPath} has no weightsManifest array");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");

        var byKeras = Vgg19Layout.Convs.ToDictionary(c => c.KerasName);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var group in manifest.EnumerateArray())
        {
            var shardPaths = group.GetProperty("paths").EnumerateArray().Select(p => Path.Combine(folder, p.GetString()!)).ToArray();
            if (!shardPaths.All(File.Exists)) continue;
            var bytes = shardPaths.SelectMany(File.ReadAllBytes).ToArray();
            long offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                var name = w.GetProperty("name").GetString()!;
                var dtype = w.GetProperty("dtype").GetString();
                var shape = w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (dtype != "float32" || w.TryGetProperty("quantization", out _))
                    throw new InvalidDataException($"{manifestPath}: '{name}' is {dtype}{(w.TryGetProperty("quantization", out _) ? " (quantized)" : "")}; only float32 weights are supported");
                long count = shape.Aggregate(1L, (a, b) => a * b);
                long len = count * sizeof(float);
                if (offset + len > bytes.Length)
                    throw new InvalidDataException($"{manifestPath}: shards of '{name}' hold {bytes.Length} bytes, need {offset + len}");
                var slice = bytes.AsSpan((int)offset, (int)len).ToArray();
                offset += len;

                var parts = name.Split('/');
                if (parts.Length != 2 || !byKeras.TryGetValue(parts[0], out var conv)) continue; // classifier layers etc.
                var t = torch.empty(shape, ScalarType.Float32);
                t.bytes = slice;
                if (parts[1] == "kernel")
                {
                    Expect(shape, [3, 3, conv.InChannels, conv.OutChannels], name, manifestPath);
                    tensors[conv.WeightKey] = t.permute(3, 2, 0, 1).contiguous(); // HWIO → OIHW
                    t.Dispose();
                }
                else if (parts[1] == "bias")
                {
                    Expect(shape, [conv.OutChannels], name, manifestPath);
                    tensors[conv.BiasKey] = t;
                }
                else t.Dispose();
            }
            if (offset != bytes.Length)
                throw new InvalidDataException($"{manifestPath}: a weight group's shards hold {bytes.Length} bytes but its weights use {offset}");
        }
        var result = new Vgg19Weights(tensors, VggInputNorm.Caffe, folder);
        if (result.AvailableConvs.Count == 0)
            throw new InvalidDataException($"{folder}: no VGG19 convolution weights found (is conv1_1's shard present?)");
        return result;
    }

    /// <summary>
    /// Reads torchvision-named VGG19 weights ("features.0.weight", … "features.34.bias"; a leading "vgg." or
    /// "vgg19." is accepted). Input normalisation: the argument, else metadata "input_norm", else torchvision.
    /// </summary>
    public static Vgg19Weights FromSafeTensors(string path, VggInputNorm? norm = null)
    {
        var all = SafeTensors.Load(path, out var meta);
        var keep = new Dictionary<string, Tensor>();
        var wanted = Vgg19Layout.Convs.SelectMany(c => new[] { c.WeightKey, c.BiasKey }).ToHashSet();
        foreach (var (key, t) in all)
        {
            var k = key.StartsWith("vgg19.") ? key[6..] : key.StartsWith("vgg.") ? key[4..] : key;
            if (wanted.Contains(k)) keep[k] = t.to(ScalarType.Float32);
            if (!ReferenceEquals(keep.GetValueOrDefault(k), t)) t.Dispose();
        }
        foreach (var conv in Vgg19Layout.Convs.Where(c => keep.ContainsKey(c.WeightKey)))
            Expect(keep[conv.WeightKey].shape, [conv.OutChannels, conv.InChannels, 3, 3], conv.WeightKey, path);

        var resolved = norm ?? (meta.TryGetValue("input_norm", out var s)
            ? Enum.TryParse<VggInputNorm>(s, true, out var parsed) ? parsed
                : throw new InvalidDataException($"{path}: metadata input_norm '{s}' is neither caffe nor torchvision")
            : VggInputNorm.Torchvision);
        var result = new Vgg19Weights(keep, resolved, path);
        if (result.AvailableConvs.Count == 0)
            throw new InvalidDataException($"{path}: no VGG19 weights with torchvision names (features.0.weight …) found");
        return result;
    }

    private static void Expect(long[] shape, long[] expected, string name, string file)
    {
        if (!shape.SequenceEqual(expected))
            throw new InvalidDataException($"{file}: '{name}' has shape [{string.Join(",", shape)}], VGG19 needs [{string.Join(",", expected)}]");
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
