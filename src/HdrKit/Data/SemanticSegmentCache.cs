using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Data;

/// <summary>
/// Segment maps the semantic knowledge bank cached next to a real scene (its skb-*.safetensors, written by
/// <c>SemanticKnowledgeBank.GetOrCompute(reference, sceneFolder)</c>). The loader only reads them: running the
/// segmenter belongs to the recipe, not to data loading.
/// </summary>
public static class SemanticSegmentCache
{
    public const string Pattern = "skb-*.safetensors";

    /// <summary>
    /// The segment map of the single cache file in <paramref name="folder"/> whose size is
    /// <paramref name="width"/>×<paramref name="height"/>, or null when there is none. Several matching files
    /// (written by different bank settings) are ambiguous and refused rather than picked arbitrarily.
    /// </summary>
    public static LabelImage? Read(string folder, int width, int height)
    {
        var size = $"{width}x{height}";
        var matches = new List<(string Path, Dictionary<string, Tensor> Tensors)>();
        foreach (var path in Directory.EnumerateFiles(folder, Pattern).Order(StringComparer.Ordinal))
        {
            var tensors = SafeTensors.Load(path, out var meta);
            if (meta.GetValueOrDefault("size") == size && tensors.ContainsKey("segments")) matches.Add((path, tensors));
            else Dispose(tensors);
        }
        try
        {
            if (matches.Count == 0) return null;
            if (matches.Count > 1)
                throw new InvalidDataException($"{folder} holds {matches.Count} semantic-bank caches of {size} ({string.Join(", ", matches.Select(m => Path.GetFileName(m.Path)))}); keep one");
            using var ids = matches[0].Tensors["segments"].to(ScalarType.Int32);
            if (ids.numel() != (long)width * height) throw new InvalidDataException($"{matches[0].Path}: segment map has {ids.numel()} values, expected {width * height}");
            var values = ids.data<int>().ToArray();
            var labels = new ushort[values.Length];
            for (int i = 0; i < values.Length; i++)
                labels[i] = values[i] is >= 0 and <= ushort.MaxValue ? (ushort)values[i]
                    : throw new InvalidDataException($"{matches[0].Path}: segment id {values[i]} does not fit 16 bits");
            return new LabelImage(width, height, labels);
        }
        finally
        {
            foreach (var m in matches) Dispose(m.Tensors);
        }
    }

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
