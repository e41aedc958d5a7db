using System.Text.Json;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>One scene's cached full-scene tensors and the epoch they were made in.</summary>
public sealed record PseudoLabelEntry(int Epoch, IReadOnlyDictionary<string, Tensor> Tensors);

/// <summary>
/// Full-scene tensors per scene id (the teacher's pseudo label and uncertainty, or SMHDR's per-segment
/// statistics), each stamped with the epoch that produced it, so a trainer refreshes a scene at most once
/// per epoch and crops the patch it is training on. Tensors are stored as detached CPU copies owned by the
/// cache. <see cref="Save"/>/<see cref="Load"/> write one safetensors file so a resumed run keeps its labels.
/// </summary>
public sealed class PseudoLabelCache : IDisposable
{
    private const string ScenesKey = "scenes";
    private readonly Dictionary<string, PseudoLabelEntry> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;
    public IEnumerable<string> SceneIds => entries.Keys;

    /// <summary>True when <paramref name="sceneId"/> has no entry yet or one from an earlier epoch.</summary>
    public bool NeedsRefresh(string sceneId, int epoch) =>
        !entries.TryGetValue(sceneId, out var e) || e.Epoch < epoch;

    /// <summary>Stores copies of <paramref name="tensors"/>, replacing (and disposing) the scene's previous entry.</summary>
    public void Store(string sceneId, int epoch, IReadOnlyDictionary<string, Tensor> tensors)
    {
        if (tensors.Count == 0) throw new ArgumentException($"scene '{sceneId}': nothing to cache");
        Dictionary<string, Tensor> copies;
        // Owned by the cache: out of every dispose scope, so a caller's scope cannot free them.
        using (var scope = NewDisposeScope())
            copies = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
        Remove(sceneId);
        entries[sceneId] = new PseudoLabelEntry(epoch, copies);
    }

    public bool TryGet(string sceneId, out PseudoLabelEntry entry) => entries.TryGetValue(sceneId, out entry!);

    /// <summary>
    /// A new tensor holding the crop [top, top+height) × [left, left+width) of the scene's tensor
    /// <paramref name="name"/> (last two dimensions are H, W).
    /// </summary>
    public Tensor Crop(string sceneId, string name, int top, int left, int height, int width)
    {
        if (!entries.TryGetValue(sceneId, out var e)) throw new KeyNotFoundException($"no cached tensors for scene '{sceneId}'");
        if (!e.Tensors.TryGetValue(name, out var t)) throw new KeyNotFoundException($"scene '{sceneId}' has no cached '{name}'");
        int hDim = (int)t.dim() - 2;
        if (top < 0 || left < 0 || top + height > t.shape[hDim] || left + width > t.shape[hDim + 1])
            throw new ArgumentException($"crop {top},{left} {height}×{width} lies outside '{name}' [{string.Join(",", t.shape)}] of scene '{sceneId}'");
        using var view = t.narrow(hDim, top, height).narrow(hDim + 1, left, width);
        return view.clone();
    }

    public bool Remove(string sceneId)
    {
        if (!entries.Remove(sceneId, out var old)) return false;
        foreach (var t in old.Tensors.Values) t.Dispose();
        return true;
    }

    public void Save(string path)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var index = new List<SceneRecord>();
        int i = 0;
        // Scene ids may be paths: tensors are keyed by position, the ids live in the metadata.
        foreach (var (id, e) in entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            index.Add(new SceneRecord(id, e.Epoch, e.Tensors.Keys.ToArray()));
            foreach (var (name, t) in e.Tensors) tensors[$"{i}/{name}"] = t;
            i++;
        }
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { [ScenesKey] = JsonSerializer.Serialize(index) });
    }

    public static PseudoLabelCache Load(string path)
    {
        var tensors = SafeTensors.Load(path, out var metadata);
        if (!metadata.TryGetValue(ScenesKey, out var json))
            throw new InvalidDataException($"{path}: not a pseudo-label cache (no '{ScenesKey}' metadata)");
        var cache = new PseudoLabelCache();
        var index = JsonSerializer.Deserialize<SceneRecord[]>(json) ?? [];
        for (int i = 0; i < index.Length; i++)
        {
            var names = index[i].Names.ToDictionary(n => n, n => tensors.Remove($"{i}/{n}", out var t)
                ? t.DetachFromDisposeScope() : throw new InvalidDataException($"{path}: scene '{index[i].Id}' lacks '{n}'"), StringComparer.Ordinal);
            cache.entries[index[i].Id] = new PseudoLabelEntry(index[i].Epoch, names);
        }
        foreach (var t in tensors.Values) t.Dispose();
        return cache;
    }

    public void Dispose()
    {
        foreach (var id in entries.Keys.ToList()) Remove(id);
    }

    private sealed record SceneRecord(string Id, int Epoch, string[] Names);
}
