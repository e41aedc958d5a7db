using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Weights;

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reader and writer for the safetensors format: 8-byte little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets}} plus optional "__metadata__" (string → string), then raw
/// little-endian tensor bytes. Offsets are relative to the end of the header.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads the header only: tensor infos (file order) and metadata.</summary>
    public static (IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(Stream s) =>
        ReadHeader(s, "safetensors stream");

    /// <summary>
    /// Reads and validates the header as the format's specification asks: a JSON object starting with '{', each
    /// entry a known dtype, a shape of non-negative integers and data_offsets [begin, end] whose length matches;
    /// the entries together cover the data bytes from 0 without holes or overlaps. Any violation is an
    /// <see cref="InvalidDataException"/> naming <paramref name="source"/>.
    /// </summary>
    public static (IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(Stream s, string source)
    {
        Span<byte> lenBytes = stackalloc byte[8];
        try { s.ReadExactly(lenBytes); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{source}: not a safetensors file (shorter than its 8-byte header length)"); }
        long n = BinaryPrimitives.ReadInt64LittleEndian(lenBytes);
        if (n <= 0 || n > MaxHeaderBytes || (s.CanSeek && n > s.Length - 8))
            throw new InvalidDataException($"{source}: not a safetensors file (header length {n})");
        var json = new byte[n];
        try { s.ReadExactly(json); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{source}: the safetensors header is truncated"); }
        if (json[0] != (byte)'{') throw new InvalidDataException($"{source}: the safetensors header does not start with '{{'");
        try
        {
            return ParseHeader(json, source, n);
        }
        catch (InvalidDataException e) when (e.Message.Any(char.IsControl))
        {
            throw MessageText.OneLine(e); // tensor names come from the file
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or OverflowException
                                      or DecoderFallbackException)
        {
            throw new InvalidDataException(MessageText.OneLine($"{source}: malformed safetensors header ({e.Message.Split('\n')[0]})"));
        }
    }

    private static (IReadOnlyList<SafeTensorInfo>, IReadOnlyDictionary<string, string>, long) ParseHeader(byte[] json, string source, long n)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: the safetensors header is not a JSON object");
        var infos = new List<SafeTensorInfo>();
        var meta = new Dictionary<string, string>();
        foreach (var (key, value) in root)
        {
            if (key == "__metadata__")
            {
                if (value is not JsonObject mo) throw new InvalidDataException($"{source}: __metadata__ is not an object");
                foreach (var (mk, mv) in mo)
                    meta[mk] = mv is JsonValue v && v.TryGetValue<string>(out var text) ? text
                        : throw new InvalidDataException($"{source}: metadata '{mk}' is not a string");
                continue;
            }
            var o = value as JsonObject ?? throw new InvalidDataException($"{source}: entry '{key}' is not an object");
            var dtype = (o["dtype"] as JsonValue)?.GetValue<string>() ?? throw new InvalidDataException($"{source}: '{key}' has no dtype");
            var shape = Integers(o["shape"], source, key, "shape");
            var offs = Integers(o["data_offsets"], source, key, "data_offsets");
            if (offs.Length != 2 || offs[1] < offs[0]) throw new InvalidDataException($"{source}: bad data_offsets for '{key}'");
            long expect = InputBudget.Product(source, shape, $"tensor '{key}'");
            try { expect = checked(expect * DTypeSize(dtype)); }
            catch (OverflowException) { throw new InvalidDataException($"{source}: tensor '{key}' overflows 64 bits"); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{source}: '{key}': {e.Message}"); }
            if (offs[1] - offs[0] != expect)
                throw new InvalidDataException($"{source}: '{key}': {offs[1] - offs[0]} bytes for {dtype}[{string.Join(",", shape)}] (expected {expect})");
            infos.Add(new SafeTensorInfo(key, dtype, shape, offs[0], offs[1]));
        }
        infos.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long next = 0;
        foreach (var info in infos)
        {
            // Holes or overlaps would let one file mean different things to different readers (polyglot files).
            if (info.Begin != next)
                throw new InvalidDataException($"{source}: '{info.Name}' starts at data byte {info.Begin}, expected {next} (tensors must cover the data without holes or overlaps)");
            next = info.End;
        }
        return (infos, meta, 8 + n);
    }

    private static long[] Integers(JsonNode? node, string source, string key, string field)
    {
        if (node is not JsonArray a) throw new InvalidDataException($"{source}: '{key}' has no {field} array");
        var values = new long[a.Count];
        for (int i = 0; i < a.Count; i++)
            values[i] = a[i] is JsonValue v && v.TryGetValue<long>(out long x) && x >= 0 ? x
                : throw new InvalidDataException($"{source}: '{key}' has a {field} entry that is not a non-negative integer");
        return values;
    }

    /// <summary>Loads every tensor onto the CPU. The caller owns (and disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        using var fs = File.OpenRead(path);
        var (infos, meta, dataStart) = ReadHeader(fs, path);
        long dataLength = fs.Length - dataStart;
        long end = infos.Count == 0 ? 0 : infos[^1].End;
        if (end != dataLength)
            throw new InvalidDataException($"{path}: the header describes {end} bytes of tensor data, the file holds {dataLength}");
        metadata = meta;
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var info in infos)
            {
                long len = info.End - info.Begin;
                InputBudget.CheckBytes(path, len, $"tensor '{info.Name}'");
                var bytes = new byte[len];
                fs.Position = dataStart + info.Begin;
                fs.ReadExactly(bytes);
                result[info.Name] = FromBytes(bytes, info.DType, info.Shape, path);
            }
        }
        catch (InvalidDataException e) when (e.Message.Any(char.IsControl))
        {
            foreach (var t in result.Values) t.Dispose();
            throw MessageText.OneLine(e);
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var mo = new JsonObject();
            foreach (var (k, v) in metadata) mo[k] = v;
            header["__metadata__"] = mo;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var (dtype, bytes) = ToBytes(t);
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to 8 bytes so the data that follows is aligned, as the reference writer does.
        int pad = (8 - json.Length % 8) % 8;
        var headerBytes = new byte[json.Length + pad];
        json.CopyTo(headerBytes, 0);
        for (int i = json.Length; i < headerBytes.Length; i++) headerBytes[i] = (byte)' ';

        AtomicFile.Write(path, fs =>
        {
            var len = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(len, headerBytes.Length);
            fs.Write(len);
            fs.Write(headerBytes);
            foreach (var b in blobs) fs.Write(b);
        });
    }

    public static int DTypeSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new InvalidDataException($"unsupported safetensors dtype {dtype}"),
    };

    private static Tensor FromBytes(byte[] bytes, string dtype, long[] shape, string source)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        ScalarType st = dtype switch
        {
            "F64" => ScalarType.Float64, "F32" => ScalarType.Float32, "F16" => ScalarType.Float16,
            "BF16" => ScalarType.BFloat16, "I64" => ScalarType.Int64, "I32" => ScalarType.Int32,
            "I16" => ScalarType.Int16, "I8" => ScalarType.Int8, "U8" => ScalarType.Byte, "BOOL" => ScalarType.Bool,
            _ => throw new InvalidDataException($"{source}: unsupported safetensors dtype {dtype}"),
        };
        var t = torch.empty(shape, st);
        if (bytes.Length > 0) t.bytes = bytes;
        return t;
    }

    private static (string dtype, byte[] bytes) ToBytes(Tensor t)
    {
        string dtype = t.dtype switch
        {
            ScalarType.Float64 => "F64", ScalarType.Float32 => "F32", ScalarType.Float16 => "F16",
            ScalarType.BFloat16 => "BF16", ScalarType.Int64 => "I64", ScalarType.Int32 => "I32",
            ScalarType.Int16 => "I16", ScalarType.Int8 => "I8", ScalarType.Byte => "U8", ScalarType.Bool => "BOOL",
            _ => throw new NotSupportedException($"cannot store {t.dtype} in safetensors"),
        };
        using var c = t.detach().cpu().contiguous();
        return (dtype, c.numel() == 0 ? Array.Empty<byte>() : c.bytes.ToArray());
    }
}
