using System.Text;
using Google.FlatBuffers;
using HdrKit.Util;

namespace HdrKit.Semantic.Tflite;

/// <summary>
/// A TensorFlow Lite model read with the FlatBuffers Table API against TFLite's schema.fbs (schema version 3):
/// Model → operator_codes, subgraphs (tensors, inputs, outputs, operators), buffers. Tables are decoded
/// eagerly (a model has a few hundred tensors); weights stay in the file bytes until asked for.
/// </summary>
public sealed class TfliteModel
{
    private const string FileIdentifier = "TFL3";
    private readonly byte[] _bytes;
    private readonly (long Start, long Length)[] _buffers;

    public string Path { get; }
    public uint Version { get; }
    public string? Description { get; }
    public IReadOnlyList<TfliteOperatorCode> OperatorCodes { get; }
    public IReadOnlyList<TfliteSubgraph> Subgraphs { get; }
    public int BufferCount => _buffers.Length;

    /// <summary>The first subgraph, the one TFLite runs.</summary>
    public TfliteSubgraph Main => Subgraphs[0];

    private TfliteModel(string path, byte[] bytes)
    {
        Path = path;
        _bytes = bytes;
        if (bytes.Length < 8 || Encoding.ASCII.GetString(bytes, 4, 4) != FileIdentifier)
            throw new InvalidDataException($"{path} is not a TFLite model (no '{FileIdentifier}' file identifier)");
        var bb = new ByteBuffer(bytes);
        // The Table API trusts the offsets it follows; ByteBuffer bounds-checks every read, so a corrupt offset
        // surfaces as one of these exceptions, which become a format error naming the file. Vector lengths are
        // checked against the file size (VectorLength) so nothing allocates more than the file could describe.
        try
        {
            var model = new Table(bb.GetInt(0), bb);
            Version = (uint)ScalarInt(model, 0, 0);
            if (Version != 3) throw new InvalidDataException($"{path}: TFLite schema version {Version} is not supported (expected 3)");
            Description = Str(model, 3);
            OperatorCodes = Tables(model, 1).Select(ReadOperatorCode).ToArray();
            _buffers = Tables(model, 4).Select(ReadBuffer).ToArray();
            Subgraphs = Tables(model, 2).Select(ReadSubgraph).ToArray();
        }
        catch (InvalidDataException e) when (e.Message.Any(char.IsControl))
        {
            throw MessageText.OneLine(e); // tensor and operator names come from the file
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidCastException
                                      or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path} is not a valid TFLite model (a FlatBuffers offset or length points outside the file)", e);
        }
        if (Subgraphs.Count == 0) throw new InvalidDataException($"{path} has no subgraphs");
    }

    public static TfliteModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"TFLite model {path} does not exist", path);
        return new TfliteModel(path, File.ReadAllBytes(path));
    }

    /// <summary>The raw little-endian bytes of a tensor's buffer; empty for activations.</summary>
    public ReadOnlySpan<byte> BufferBytes(TfliteTensor t)
    {
        if (t.Buffer < 0 || t.Buffer >= _buffers.Length) throw new InvalidDataException($"{Path}: tensor '{t.Name}' points at missing buffer {t.Buffer}");
        var (start, length) = _buffers[t.Buffer];
        return _bytes.AsSpan((int)start, (int)length);
    }

    public bool HasData(TfliteTensor t) => t.Buffer > 0 && t.Buffer < _buffers.Length && _buffers[t.Buffer].Length > 0;

    /// <summary>A constant float32 tensor's values in the file's (NHWC / OHWI) order.</summary>
    public float[] Floats(TfliteTensor t)
    {
        if (t.Type != TfliteTensorType.Float32) throw new InvalidDataException($"{Path}: tensor '{t.Name}' is {t.Type}, not Float32");
        var bytes = BufferBytes(t);
        if (bytes.Length != t.ElementCount * 4)
            throw new InvalidDataException($"{Path}: tensor '{t.Name}' has {bytes.Length} bytes for {t.ElementCount} floats");
        var v = new float[t.ElementCount];
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
        return v;
    }

    public int[] Ints(TfliteTensor t)
    {
        if (t.Type != TfliteTensorType.Int32) throw new InvalidDataException($"{Path}: tensor '{t.Name}' is {t.Type}, not Int32");
        var bytes = BufferBytes(t);
        var v = new int[bytes.Length / 4];
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
        return v;
    }

    public IEnumerable<(string Op, int Count)> OperatorHistogram(int subgraph = 0) =>
        Subgraphs[subgraph].Operators.GroupBy(o => o.OpName).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key);

    // ---- decoding ----

    private static TfliteOperatorCode ReadOperatorCode(Table t)
    {
        int deprecated = ScalarSbyte(t, 0, 0);
        string? custom = Str(t, 1);
        int version = ScalarInt(t, 2, 1);
        int builtin = ScalarInt(t, 3, 0);
        // Codes ≥ 127 no longer fit the old byte field, which then holds the placeholder 127; older files
        // only fill the byte field. TFLite resolves the pair by taking the larger value.
        return new TfliteOperatorCode(Math.Max(builtin, deprecated), deprecated, version, custom);
    }

    private (long, long) ReadBuffer(Table t)
    {
        int o = t.__offset(4);
        if (o != 0) { int n = VectorLength(t, o, 1); return (t.__vector(o), n); }
        // Models over 2 GB keep data after the flatbuffer: offset/size fields (ulong) relative to the file start.
        long offset = (long)ScalarULong(t, 1), size = (long)ScalarULong(t, 2);
        if (offset > 1 && size >= 0 && offset <= _bytes.Length - size) return (offset, size);
        return (0, 0);
    }

    private TfliteSubgraph ReadSubgraph(Table sg)
    {
        var tensors = Tables(sg, 0).Select((t, i) => ReadTensor(t, i)).ToArray();
        var ops = Tables(sg, 3).Select((t, i) => ReadOperator(t, i, tensors.Length)).ToArray();
        return new TfliteSubgraph(Str(sg, 4), tensors, IntVector(sg, 1), IntVector(sg, 2), ops);
    }

    private TfliteTensor ReadTensor(Table t, int index)
    {
        var q = Table(t, 4);
        var quant = q is { } qt
            ? new TfliteQuantization(FloatVector(qt, 2), LongVector(qt, 3), ScalarInt(qt, 6, 0))
            : new TfliteQuantization([], [], 0);
        return new TfliteTensor(index, Str(t, 3) ?? $"tensor_{index}", IntVector(t, 0), (TfliteTensorType)ScalarSbyte(t, 1, 0),
            (int)ScalarUInt(t, 2, 0), quant);
    }

    private TfliteOperator ReadOperator(Table t, int index, int tensorCount)
    {
        int opcode = (int)ScalarUInt(t, 0, 0);
        if (opcode >= OperatorCodes.Count) throw new InvalidDataException($"{Path}: operator {index} uses opcode_index {opcode} of {OperatorCodes.Count}");
        var inputs = IntVector(t, 1);
        var outputs = IntVector(t, 2);
        foreach (var i in inputs.Concat(outputs))
            if (i < -1 || i >= tensorCount) throw new InvalidDataException($"{Path}: operator {index} refers to tensor {i} of {tensorCount}");
        byte unionType = (byte)ScalarSbyte(t, 3, 0);
        var options = unionType != 0 && Table(t, 4) is { } ot ? TfliteOptions.Decode(unionType, ot) : null;
        return new TfliteOperator(index, opcode, OperatorCodes[opcode].BuiltinCode, inputs, outputs, options);
    }

    // ---- FlatBuffers field access; field i lives at vtable offset 4 + 2i ----

    private static int Slot(int field) => 4 + 2 * field;

    private static int ScalarInt(Table t, int field, int dflt) { int o = t.__offset(Slot(field)); return o == 0 ? dflt : t.bb.GetInt(t.bb_pos + o); }
    private static uint ScalarUInt(Table t, int field, uint dflt) { int o = t.__offset(Slot(field)); return o == 0 ? dflt : t.bb.GetUint(t.bb_pos + o); }
    private static ulong ScalarULong(Table t, int field) { int o = t.__offset(Slot(field)); return o == 0 ? 0 : t.bb.GetUlong(t.bb_pos + o); }
    private static sbyte ScalarSbyte(Table t, int field, sbyte dflt) { int o = t.__offset(Slot(field)); return o == 0 ? dflt : t.bb.GetSbyte(t.bb_pos + o); }
    private static string? Str(Table t, int field) { int o = t.__offset(Slot(field)); return o == 0 ? null : t.__string(t.bb_pos + o); }

    private static Table? Table(Table t, int field)
    {
        int o = t.__offset(Slot(field));
        return o == 0 ? null : new Table(t.__indirect(t.bb_pos + o), t.bb);
    }

    private static IEnumerable<Table> Tables(Table t, int field)
    {
        int o = t.__offset(Slot(field));
        if (o == 0) yield break;
        int start = t.__vector(o), n = VectorLength(t, o, 4);
        for (int i = 0; i < n; i++) yield return new Table(t.__indirect(start + 4 * i), t.bb);
    }

    /// <summary>A vector's length, refused when its elements would run past the end of the buffer.</summary>
    private static int VectorLength(Table t, int o, int elementSize)
    {
        int start = t.__vector(o), n = t.__vector_len(o);
        if (n < 0 || start < 0 || start > t.bb.Length || n > (t.bb.Length - start) / elementSize)
            throw new ArgumentOutOfRangeException(nameof(o), $"a vector of {n} elements at byte {start} runs past the end of the file");
        return n;
    }

    private static int[] IntVector(Table t, int field)
    {
        int o = t.__offset(Slot(field));
        if (o == 0) return [];
        int start = t.__vector(o), n = VectorLength(t, o, 4);
        var v = new int[n];
        for (int i = 0; i < n; i++) v[i] = t.bb.GetInt(start + 4 * i);
        return v;
    }

    private static float[] FloatVector(Table t, int field)
    {
        int o = t.__offset(Slot(field));
        if (o == 0) return [];
        int start = t.__vector(o), n = VectorLength(t, o, 4);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = t.bb.GetFloat(start + 4 * i);
        return v;
    }

    private static long[] LongVector(Table t, int field)
    {
        int o = t.__offset(Slot(field));
        if (o == 0) return [];
        int start = t.__vector(o), n = VectorLength(t, o, 8);
        var v = new long[n];
        for (int i = 0; i < n; i++) v[i] = t.bb.GetLong(start + 4 * i * 2);
        return v;
    }
}
