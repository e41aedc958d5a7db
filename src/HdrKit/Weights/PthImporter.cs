using System.IO.Compression;
using HdrKit.Util;
using HdrKit.Weights.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Weights;

/// <summary>
/// Reads PyTorch checkpoints in the zip format torch.save writes since 1.6 (&lt;archive&gt;/data.pkl holding
/// the object tree, &lt;archive&gt;/data/&lt;key&gt; holding raw little-endian storages) without Python and without
/// running the pickle: a <see cref="RestrictedUnpickler"/> accepts only containers, tensors, storages and a
/// few harmless torch types, and refuses every other global. Tensors keep PyTorch's view semantics: each is
/// an as_strided view of its storage, so storage offsets, strides and storages shared by several tensors come
/// out exactly as they were saved.
/// </summary>
public static class PthImporter
{
    /// <summary>Names under which training code commonly nests the weights, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> WellKnownKeys =
        ["state_dict", "model", "model_state_dict", "params_ema", "params", "net", "network", "generator"];

    private static readonly Dictionary<string, ScalarType> StorageTypes = new()
    {
        ["FloatStorage"] = ScalarType.Float32, ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16, ["DoubleStorage"] = ScalarType.Float64,
        ["LongStorage"] = ScalarType.Int64, ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16, ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte, ["BoolStorage"] = ScalarType.Bool,
    };

    private static readonly HashSet<PickleGlobal> Allowed =
    [
        new("collections", "OrderedDict"),
        new("torch._utils", "_rebuild_tensor_v2"),
        new("torch._utils", "_rebuild_parameter"),
        new("torch._utils", "_rebuild_parameter_with_state"),
        new("torch", "device"),
        new("torch", "Size"),
        .. StorageTypes.Keys.Select(n => new PickleGlobal("torch", n)),
    ];

    /// <summary>
    /// The tensors of a checkpoint. A plain state dict is returned as is; a training checkpoint
    /// ({'state_dict': …, 'epoch': 3}) yields the dictionary under <paramref name="key"/>, or, when no key is
    /// given, under the only well-known name present (<see cref="WellKnownKeys"/>). When that is ambiguous the
    /// error lists the keys there are. Nested keys are separated by '/'. The caller owns the tensors.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, string? key = null)
    {
        var root = ReadObject(path);
        var name = Path.GetFileName(path);
        var selected = SelectStateDict(root, key, name);
        // Optimizer state, EMA copies and the like were read too; free them now rather than at finalization.
        var kept = new HashSet<Tensor>(selected.Values, ReferenceEqualityComparer.Instance);
        foreach (var t in TensorsIn(root).Where(t => !kept.Contains(t))) t.Dispose();
        return selected;
    }

    /// <summary>
    /// Every tensor in the tree, each once. Iterative and cycle-safe: a crafted pickle can nest containers
    /// arbitrarily deep or make a list contain itself, which a recursive walk would turn into a stack overflow.
    /// </summary>
    private static List<Tensor> TensorsIn(object? root)
    {
        var found = new List<Tensor>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is null or string or long or double or bool || !visited.Add(node)) continue;
            switch (node)
            {
                case Tensor t: found.Add(t); break;
                case OrderedDictionary<object, object?> d: foreach (var v in d.Values) pending.Push(v); break;
                case List<object?> l: foreach (var v in l) pending.Push(v); break;
                case object?[] tuple: foreach (var v in tuple) pending.Push(v); break;
            }
        }
        return found;
    }

    /// <summary>The whole unpickled object tree: dicts, lists, tuples (object?[]), scalars and tensors.</summary>
    public static object? ReadObject(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist", path);
        try
        {
            return ReadArchive(path, name);
        }
        catch (InvalidDataException e) when (e.Message.Any(char.IsControl))
        {
            throw MessageText.OneLine(e);
        }
        catch (InvalidDataException e) when (!e.Message.Contains($"'{name}'", StringComparison.Ordinal))
        {
            // System.IO.Compression reports corrupt entries without saying which file they came from.
            throw new InvalidDataException($"'{name}' is a corrupt zip archive ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{name}' is a truncated zip archive ({e.Message})", e);
        }
    }

    private static object? ReadArchive(string path, string name)
    {
        using var zip = OpenZip(path, name);
        var pickle = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickle.Count != 1)
            throw new InvalidDataException($"'{name}' is a zip file but not a PyTorch checkpoint (no <archive>/data.pkl)");
        var prefix = pickle[0].FullName[..^"data.pkl".Length];

        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder != null && ReadAll(byteOrder, name).AsSpan().SequenceEqual("big"u8))
            throw new InvalidDataException($"'{name}' was saved on a big-endian machine; only little-endian checkpoints are supported");

        var storages = new Dictionary<string, Tensor>();
        try
        {
            var unpickler = new RestrictedUnpickler(Allowed.Contains, (g, args) => Reduce(g, args, name),
                pid => LoadStorage(pid, zip, prefix, storages, name), name);
            return unpickler.Load(ReadAll(pickle[0], name));
        }
        finally
        {
            // Tensors are views holding their own reference to the storage; the flat storage handles can go.
            foreach (var s in storages.Values) s.Dispose();
        }
    }

    private static ZipArchive OpenZip(string path, string name)
    {
        var fs = File.OpenRead(path);
        try
        {
            return new ZipArchive(fs, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException)
        {
            fs.Dispose();
            // torch.save before 1.6 wrote a bare pickle stream starting with the protocol opcode.
            throw new InvalidDataException(
                $"'{name}' is not a zip-format PyTorch checkpoint; re-save it with torch ≥ 1.6 (torch.save with the default _use_new_zipfile_serialization=True)");
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string name)
    {
        InputBudget.CheckBytes($"'{name}'", entry.Length, $"zip entry {entry.FullName}");
        using var s = entry.Open();
        var bytes = new byte[entry.Length];
        s.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Persistent id ('storage', storage type, key, location, numel) → a flat tensor over the storage bytes.</summary>
    private static Tensor LoadStorage(object? pid, ZipArchive zip, string prefix, Dictionary<string, Tensor> storages, string name)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickleGlobal type || t[2] is not string key || t[4] is not long numel)
            throw new InvalidDataException($"'{name}' has a persistent id that is not a torch storage");
        if (!StorageTypes.TryGetValue(type.Name, out var dtype))
            throw new InvalidDataException($"'{name}' has a storage of unsupported type {type}");
        if (storages.TryGetValue(key, out var cached)) return cached;

        var entry = zip.GetEntry(prefix + "data/" + key) ?? throw new InvalidDataException($"'{name}' lacks the storage data/{key}");
        long expected = InputBudget.Product($"'{name}'", [numel, ElementSize(dtype)], $"storage data/{key}");
        if (entry.Length != expected)
            throw new InvalidDataException($"'{name}': storage data/{key} has {entry.Length} bytes, expected {expected} for {numel} × {dtype}");
        var bytes = numel > 0 ? ReadAll(entry, name) : [];
        var storage = torch.empty(numel, dtype);
        if (numel > 0) storage.bytes = bytes;
        storages[key] = storage;
        return storage;
    }

    private static object? Reduce(PickleGlobal g, object?[] args, string name)
    {
        switch (g.Module, g.Name)
        {
            case ("collections", "OrderedDict") when args.Length == 0:
                return new OrderedDictionary<object, object?>();
            case ("torch._utils", "_rebuild_tensor_v2") when args.Length >= 4:
                return RebuildTensor(args, name);
            case ("torch._utils", "_rebuild_parameter") or ("torch._utils", "_rebuild_parameter_with_state") when args.Length >= 1 && args[0] is Tensor data:
                return data; // requires_grad and hooks are training-time state
            case ("torch", "device") when args.Length >= 1 && args[0] is string dev:
                return dev;
            case ("torch", "Size") when args.Length == 1 && args[0] is object?[] dims:
                return dims;
            default:
                throw new InvalidDataException($"'{name}' calls {g} with arguments this reader does not understand");
        }
    }

    /// <summary>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).</summary>
    private static Tensor RebuildTensor(object?[] args, string name)
    {
        if (args[0] is not Tensor storage || args[1] is not long offset || args[2] is not object?[] sizeTuple || args[3] is not object?[] strideTuple)
            throw new InvalidDataException($"'{name}' has a malformed tensor record");
        var size = sizeTuple.Select(v => v as long? ?? throw new InvalidDataException($"'{name}' has a non-integer tensor size")).ToArray();
        var stride = strideTuple.Select(v => v as long? ?? throw new InvalidDataException($"'{name}' has a non-integer tensor stride")).ToArray();
        if (size.Length != stride.Length || size.Any(s => s < 0) || stride.Any(s => s < 0) || offset < 0)
            throw new InvalidDataException($"'{name}' has a tensor with invalid size [{string.Join(",", size)}] / stride [{string.Join(",", stride)}]");
        // The last element a view touches must lie inside its storage; as_strided would otherwise read past it.
        // Checked arithmetic: a wrapped product would pass this test and reach libtorch.
        if (!size.Contains(0))
        {
            long last;
            try { last = checked(offset + size.Zip(stride, (n, s) => checked((n - 1) * s)).Aggregate(0L, (a, b) => checked(a + b))); }
            catch (OverflowException) { throw new InvalidDataException($"'{name}' has a tensor view whose extent overflows 64 bits"); }
            if (last >= storage.numel())
                throw new InvalidDataException($"'{name}' has a tensor view reaching element {last} of a storage of {storage.numel()}");
            // A state dict's tensors never hold more elements than their storage; a view that does repeats elements
            // (stride 0 or overlapping strides), and copying it would blow a few bytes up to gigabytes.
            long numel = InputBudget.Product($"'{name}'", size, "a tensor view");
            if (numel > storage.numel())
                throw new InvalidDataException($"'{name}' has a tensor view of {numel} elements over a storage of {storage.numel()} (stride 0 or overlapping strides), which a weights file does not need");
        }
        return storage.as_strided(size, stride, offset);
    }

    private static Dictionary<string, Tensor> SelectStateDict(object? root, string? key, string name)
    {
        if (key != null)
        {
            object? node = root;
            foreach (var part in key.Split('/'))
            {
                if (node is not OrderedDictionary<object, object?> d || !d.TryGetValue(part, out node))
                    throw new ArgumentException($"'{name}' has no key '{key}'; {DescribeKeys(root)}");
            }
            return AsTensorDict(node) ?? throw new ArgumentException($"'{key}' in '{name}' is not a dictionary of tensors");
        }

        if (AsTensorDict(root) is { } direct) return direct;
        if (root is not OrderedDictionary<object, object?> dict)
            throw new InvalidDataException($"'{name}' holds a {Describe(root)}, not a state dict");

        var known = WellKnownKeys.Where(k => dict.TryGetValue(k, out var v) && AsTensorDict(v) != null).ToList();
        if (known.Count == 1) return AsTensorDict(dict[known[0]])!;
        var anyTensorDicts = dict.Where(kv => AsTensorDict(kv.Value) != null).Select(kv => kv.Key.ToString()!).ToList();
        if (known.Count == 0 && anyTensorDicts.Count == 1) return AsTensorDict(dict[anyTensorDicts[0]])!;
        throw new ArgumentException(
            $"'{name}' is a checkpoint with several candidate weight sets; choose one with --key: {DescribeKeys(root)}");
    }

    private static Dictionary<string, Tensor>? AsTensorDict(object? node)
    {
        if (node is not OrderedDictionary<object, object?> d || d.Count == 0) return null;
        if (!d.All(kv => kv.Key is string && kv.Value is Tensor)) return null;
        return d.ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!);
    }

    private static string DescribeKeys(object? root) => root is OrderedDictionary<object, object?> d
        ? "top-level keys: " + string.Join(", ", d.Select(kv => $"{kv.Key} ({Describe(kv.Value)})"))
        : $"it holds a {Describe(root)}";

    private static string Describe(object? v) => v switch
    {
        null => "None",
        Tensor t => $"tensor [{string.Join(",", t.shape)}]",
        OrderedDictionary<object, object?> d when AsTensorDict(d) != null => $"{d.Count} tensors",
        OrderedDictionary<object, object?> d => $"dict of {d.Count}",
        List<object?> l => $"list of {l.Count}",
        object?[] t => $"tuple of {t.Length}",
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        _ => v.GetType().Name,
    };

    private static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };
}
