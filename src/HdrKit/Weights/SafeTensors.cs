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
    public static (IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(Stream s)
    {
        Span<byte> lenBytes = stackalloc byte[8];
        s.ReadExactly(lenBytes);
        long n = BinaryPrimitives.ReadInt64LittleEndian(lenBytes);
        if (n <= 0 || n > MaxHeaderBytes) throw new InvalidDataException($"not a safetensors file (header length {n})");
        var json = new byte[n];
        s.ReadExactly(json);
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("safetensors header is not a JSON object");
        var infos = new List<SafeTensorInfo>();
        var meta = new Dictionary<string, string>();
        foreach (var (key, value) in root)
        {
            if (key == "__metadata__")
            {
                if (value is JsonObject mo)
                    foreach (var (mk, mv) in mo) meta[mk] = mv?.GetValue<string>() ?? "";
                continue;
            }
            var o = value as JsonObject ?? throw new InvalidDataException($"entry '{key}' is not an object");
            var dtype = o["dtype"]!.GetValue<string>();
            var shape = o["shape"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
            var offs = o["data_offsets"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
            if (offs.Length != 2 || offs[1] < offs[0]) throw new InvalidDataException($"bad data_offsets for '{key}'");
            long expect = shape.Aggregate(1L, (a, b) => a * b) * DTypeSize(dtype);
            if (offs[1] - offs[0] != expect)
                throw new InvalidDataException($"'{key}': {offs[1] - offs[0]} bytes for {dtype}[{string.Join(",", shape)}] (expected {expect})");
            infos.Add(new SafeTensorInfo(key, dtype, shape, offs[0], offs[1]));
        }
        infos.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        return (infos, meta, 8 + n);
    }

    /// <summary>Loads every tensor onto the CPU. The caller owns (and disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        using var fs = File.OpenRead(path);
        var (infos, meta, dataStart) = ReadHeader(fs);
        metadata = meta;
        var result = new Dictionary<string, Tensor>();
        foreach (var info in infos)
        {
            long len = info.End - info.Begin;
            if (dataStart + info.End > fs.Length) throw new InvalidDataException($"'{info.Name}' extends past the end of {path}");
            var bytes = new byte[len];
            fs.Position = dataStart + info.Begin;
            fs.ReadExactly(bytes);
            result[info.Name] = FromBytes(bytes, info.DType, info.Shape);
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

    private static Tensor FromBytes(byte[] bytes, string dtype, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        ScalarType st = dtype switch
        {
            "F64" => ScalarType.Float64, "F32" => ScalarType.Float32, "F16" => ScalarType.Float16,
            "BF16" => ScalarType.BFloat16, "I64" => ScalarType.Int64, "I32" => ScalarType.Int32,
            "I16" => ScalarType.Int16, "I8" => ScalarType.Int8, "U8" => ScalarType.Byte, "BOOL" => ScalarType.Bool,
            _ => throw new InvalidDataException($"unsupported safetensors dtype {dtype}"),
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
