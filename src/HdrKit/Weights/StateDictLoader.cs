using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Weights;

/// <summary>
/// Loads a name → tensor dictionary (a PyTorch state dict, a safetensors file) into a TorchSharp module by
/// parameter and buffer name, and the inverse. Networks keep the reference implementation's names, so a
/// checkpoint loads with no mapping table; a mismatch is reported once, with every offending key.
/// </summary>
public static class StateDictLoader
{
    private const string DataParallelPrefix = "module.";
    private const int MaxKeysListed = 12;

    /// <summary>
    /// Copies every matching tensor into the module in place (under no_grad, converting dtype and device to the
    /// module's). Throws <see cref="InvalidDataException"/> listing missing, unexpected and wrong-shaped keys;
    /// nothing is copied when it throws. The caller keeps ownership of <paramref name="stateDict"/>.
    /// </summary>
    public static StateDictLoadResult Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict,
        StateDictOptions? options = null, string? source = null)
    {
        options ??= StateDictOptions.Default;
        var incoming = Normalize(stateDict, options);
        var target = module.state_dict()
            .Where(kv => !IsIgnored(kv.Key, options))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

        var missing = target.Keys.Where(k => !incoming.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = incoming.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var mismatched = target.Keys.Where(incoming.ContainsKey)
            .Where(k => !incoming[k].shape.SequenceEqual(target[k].shape))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k} (checkpoint [{string.Join(",", incoming[k].shape)}], model [{string.Join(",", target[k].shape)}])")
            .ToList();

        if (mismatched.Count > 0 || (options.Strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new InvalidDataException(Describe(module, source, missing, unexpected, mismatched, options.Strict));

        var loaded = new List<string>();
        using (torch.no_grad())
        {
            foreach (var (name, dst) in target)
            {
                if (!incoming.TryGetValue(name, out var src)) continue;
                // copy_ converts dtype and device itself; going through .to() first would allocate twice.
                dst.copy_(src);
                loaded.Add(name);
            }
        }
        return new StateDictLoadResult(loaded, missing, unexpected);
    }

    /// <summary>
    /// Loads a weight file into the module: .safetensors, or a PyTorch .pth/.pt/.ckpt checkpoint through the
    /// restricted importer (see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, StateDictOptions?, string?)"/>).
    /// </summary>
    public static StateDictLoadResult LoadFile(nn.Module module, string path, StateDictOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file {path} does not exist", path);
        var tensors = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".pth" or ".pt" or ".ckpt" => PthImporter.Load(path),
            _ => SafeTensors.Load(path),
        };
        try { return Load(module, tensors, options, Path.GetFileName(path)); }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    /// <summary>
    /// The module's parameters and persistent buffers as detached, contiguous CPU copies, ready for
    /// <see cref="SafeTensors.Save"/>. The caller owns the returned tensors.
    /// </summary>
    public static Dictionary<string, Tensor> ToDictionary(nn.Module module)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (torch.no_grad())
        {
            foreach (var (name, t) in module.state_dict())
                result[name] = t.detach().cpu().contiguous().clone();
        }
        return result;
    }

    private static Dictionary<string, Tensor> Normalize(IReadOnlyDictionary<string, Tensor> stateDict, StateDictOptions options)
    {
        bool strip = options.StripDataParallelPrefix && stateDict.Count > 0
            && stateDict.Keys.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal));
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in stateDict)
        {
            var name = strip ? key[DataParallelPrefix.Length..] : key;
            if (!IsIgnored(name, options)) result[name] = value;
        }
        return result;
    }

    private static bool IsIgnored(string key, StateDictOptions options) =>
        options.IgnorePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    private static string Describe(nn.Module module, string? source, List<string> missing, List<string> unexpected,
        List<string> mismatched, bool strict)
    {
        var parts = new List<string>();
        if (strict && missing.Count > 0) parts.Add($"missing {List(missing)}");
        if (strict && unexpected.Count > 0) parts.Add($"unexpected {List(unexpected)}");
        if (mismatched.Count > 0) parts.Add($"shape mismatch {List(mismatched)}");
        var from = source == null ? "state dict" : $"'{source}'";
        return $"{from} does not match {module.GetName()}: {string.Join("; ", parts)}";
    }

    private static string List(List<string> keys) =>
        $"{keys.Count} key(s): " + string.Join(", ", keys.Take(MaxKeysListed)) +
        (keys.Count > MaxKeysListed ? $", … and {keys.Count - MaxKeysListed} more" : "");
}
