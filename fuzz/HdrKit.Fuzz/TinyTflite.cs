using Google.FlatBuffers;

namespace HdrKit.Fuzz;

/// <summary>
/// The smallest TFLite model the reader accepts, for the tflite seed corpus: one ADD of two constant
/// float32[1,2] tensors, built with the FlatBuffers builder against TFLite's schema field numbers.
/// </summary>
public static class TinyTflite
{
    public static byte[] Build()
    {
        var b = new FlatBufferBuilder(512);

        // Buffers: 0 is the empty sentinel TFLite reserves, 1 and 2 hold the constants.
        var bufferOffsets = new List<Offset<Table>> { Buffer(b, null) };
        bufferOffsets.Add(Buffer(b, [1f, 2f]));
        bufferOffsets.Add(Buffer(b, [3f, 4f]));

        var tensors = new[]
        {
            Tensor(b, "a", [1, 2], buffer: 1), Tensor(b, "b", [1, 2], buffer: 2), Tensor(b, "sum", [1, 2], buffer: 0),
        };
        var inputs = IntVector(b, [0, 1]);
        var outputs = IntVector(b, [2]);
        var opInputs = IntVector(b, [0, 1]);
        var opOutputs = IntVector(b, [2]);
        b.StartTable(5);                      // Operator
        b.AddOffset(1, opInputs.Value, 0);
        b.AddOffset(2, opOutputs.Value, 0);
        var op = b.EndTable();

        var tensorVector = OffsetVector(b, tensors.Select(t => t.Value).ToArray());
        var opVector = OffsetVector(b, [op]);
        var sgName = b.CreateString("main");
        b.StartTable(5);                      // SubGraph: tensors, inputs, outputs, operators, name
        b.AddOffset(0, tensorVector.Value, 0);
        b.AddOffset(1, inputs.Value, 0);
        b.AddOffset(2, outputs.Value, 0);
        b.AddOffset(3, opVector.Value, 0);
        b.AddOffset(4, sgName.Value, 0);
        var subgraph = b.EndTable();

        b.StartTable(4);                      // OperatorCode: builtin ADD is 0, the default
        b.AddInt(2, 1, 0);                    // version
        var code = b.EndTable();

        var codes = OffsetVector(b, [code]);
        var subgraphs = OffsetVector(b, [subgraph]);
        var buffers = OffsetVector(b, bufferOffsets.Select(o => o.Value).ToArray());
        var description = b.CreateString("hdrkit fuzz seed");
        b.StartTable(5);                      // Model: version, operator_codes, subgraphs, description, buffers
        b.AddUint(0, 3, 0);
        b.AddOffset(1, codes.Value, 0);
        b.AddOffset(2, subgraphs.Value, 0);
        b.AddOffset(3, description.Value, 0);
        b.AddOffset(4, buffers.Value, 0);
        var model = b.EndTable();
        b.Finish(model, "TFL3");
        return b.SizedByteArray();
    }

    private static Offset<Table> Buffer(FlatBufferBuilder b, float[]? values)
    {
        VectorOffset? data = null;
        if (values != null)
        {
            var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
            b.StartVector(1, bytes.Length, 16);
            for (int i = bytes.Length - 1; i >= 0; i--) b.AddByte(bytes[i]);
            data = b.EndVector();
        }
        b.StartTable(3);
        if (data is { } d) b.AddOffset(0, d.Value, 0);
        return new Offset<Table>(b.EndTable());
    }

    private static Offset<Table> Tensor(FlatBufferBuilder b, string name, int[] shape, uint buffer)
    {
        var shapeVector = IntVector(b, shape);
        var nameOffset = b.CreateString(name);
        b.StartTable(5);                      // Tensor: shape, type, buffer, name, quantization
        b.AddOffset(0, shapeVector.Value, 0);
        b.AddUint(2, buffer, 0);
        b.AddOffset(3, nameOffset.Value, 0);
        return new Offset<Table>(b.EndTable());
    }

    private static VectorOffset IntVector(FlatBufferBuilder b, int[] values)
    {
        b.StartVector(4, values.Length, 4);
        for (int i = values.Length - 1; i >= 0; i--) b.AddInt(values[i]);
        return b.EndVector();
    }

    private static VectorOffset OffsetVector(FlatBufferBuilder b, int[] offsets)
    {
        b.StartVector(4, offsets.Length, 4);
        for (int i = offsets.Length - 1; i >= 0; i--) b.AddOffset(offsets[i]);
        return b.EndVector();
    }
}
