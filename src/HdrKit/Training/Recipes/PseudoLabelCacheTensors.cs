using System.Text;
using System.Text.Json;
using HdrKit.Training.Components;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>
/// A <see cref="PseudoLabelCache"/> as named tensors for a recipe's <see cref="TrainingRecipe.SaveState"/>
/// (checkpoints hold tensors only): the scene ids, epochs and tensor names travel as a UTF-8 JSON byte tensor,
/// the tensors are keyed by position because ids may be paths.
/// </summary>
public static class PseudoLabelCacheTensors
{
    private const string IndexKey = "index";

    public static Dictionary<string, Tensor> ToTensors(this PseudoLabelCache cache, string prefix)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var index = new List<Record>();
        int i = 0;
        foreach (var id in cache.SceneIds.Order(StringComparer.Ordinal))
        {
            cache.TryGet(id, out var entry);
            index.Add(new Record(id, entry.Epoch, entry.Tensors.Keys.ToArray()));
            foreach (var (name, t) in entry.Tensors) tensors[$"{prefix}{i}/{name}"] = t;
            i++;
        }
        tensors[prefix + IndexKey] = tensor(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(index)), ScalarType.Byte);
        return tensors;
    }

    /// <summary>Replaces the cache's entries by the ones in <paramref name="state"/> (none when it has no index under the prefix).</summary>
    public static void LoadTensors(this PseudoLabelCache cache, IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        foreach (var id in cache.SceneIds.ToList()) cache.Remove(id);
        if (!state.TryGetValue(prefix + IndexKey, out var indexTensor)) return;
        var index = JsonSerializer.Deserialize<Record[]>(indexTensor.cpu().data<byte>().ToArray()) ?? [];
        for (int i = 0; i < index.Length; i++)
        {
            var r = index[i];
            var tensors = r.Names.ToDictionary(n => n, n => state.TryGetValue($"{prefix}{i}/{n}", out var t) ? t
                : throw new InvalidDataException($"pseudo-label state lacks '{n}' of scene '{r.Id}'"), StringComparer.Ordinal);
            cache.Store(r.Id, r.Epoch, tensors);
        }
    }

    private sealed record Record(string Id, int Epoch, string[] Names);
}
