using Google.FlatBuffers;

namespace HdrKit.Semantic.Tflite;

/// <summary>
/// Decoded builtin options of an operator (the schema's BuiltinOptions union). Nested records keep the
/// dozen option tables together; field order and defaults follow schema.fbs.
/// </summary>
public abstract record TfliteOptions
{
    public sealed record Conv2D(TflitePadding Padding, int StrideW, int StrideH, TfliteActivation Activation, int DilationW, int DilationH) : TfliteOptions;
    public sealed record DepthwiseConv2D(TflitePadding Padding, int StrideW, int StrideH, int DepthMultiplier, TfliteActivation Activation, int DilationW, int DilationH) : TfliteOptions;
    public sealed record Pool2D(TflitePadding Padding, int StrideW, int StrideH, int FilterW, int FilterH, TfliteActivation Activation) : TfliteOptions;
    public sealed record Concatenation(int Axis, TfliteActivation Activation) : TfliteOptions;
    /// <summary>ADD, SUB and MUL share the one field the float kernels read.</summary>
    public sealed record Elementwise(TfliteActivation Activation) : TfliteOptions;
    public sealed record ResizeBilinear(bool AlignCorners, bool HalfPixelCenters) : TfliteOptions;
    public sealed record Reducer(bool KeepDims) : TfliteOptions;

    // BuiltinOptions union discriminants from schema.fbs.
    private const byte Conv2DOptions = 1, DepthwiseConv2DOptions = 2, Pool2DOptions = 5, ConcatenationOptions = 10,
        AddOptions = 11, ResizeBilinearOptions = 15, MulOptions = 21, ReducerOptions = 27, SubOptions = 28;

    /// <summary>Decodes the option table at <paramref name="table"/>; null for union types HdrKit does not use.</summary>
    internal static TfliteOptions? Decode(byte unionType, Table table)
    {
        sbyte B(int field, sbyte dflt = 0) { int o = table.__offset(4 + 2 * field); return o == 0 ? dflt : table.bb.GetSbyte(table.bb_pos + o); }
        int I(int field, int dflt = 0) { int o = table.__offset(4 + 2 * field); return o == 0 ? dflt : table.bb.GetInt(table.bb_pos + o); }
        return unionType switch
        {
            Conv2DOptions => new Conv2D((TflitePadding)B(0), I(1), I(2), (TfliteActivation)B(3), I(4, 1), I(5, 1)),
            DepthwiseConv2DOptions => new DepthwiseConv2D((TflitePadding)B(0), I(1), I(2), I(3), (TfliteActivation)B(4), I(5, 1), I(6, 1)),
            Pool2DOptions => new Pool2D((TflitePadding)B(0), I(1), I(2), I(3), I(4), (TfliteActivation)B(5)),
            ConcatenationOptions => new Concatenation(I(0), (TfliteActivation)B(1)),
            AddOptions or SubOptions or MulOptions => new Elementwise((TfliteActivation)B(0)),
            // Fields 0 and 1 (new_height, new_width) are deprecated: the size comes from the second input.
            ResizeBilinearOptions => new ResizeBilinear(B(2) != 0, B(3) != 0),
            ReducerOptions => new Reducer(B(0) != 0),
            _ => null,
        };
    }

    /// <summary>The operator's name as schema.fbs spells it (CONV_2D, RESIZE_BILINEAR, ...).</summary>
    public static string SchemaName(TfliteBuiltinOperator op) => op switch
    {
        TfliteBuiltinOperator.AveragePool2D => "AVERAGE_POOL_2D",
        TfliteBuiltinOperator.Conv2D => "CONV_2D",
        TfliteBuiltinOperator.DepthwiseConv2D => "DEPTHWISE_CONV_2D",
        TfliteBuiltinOperator.DepthToSpace => "DEPTH_TO_SPACE",
        TfliteBuiltinOperator.FullyConnected => "FULLY_CONNECTED",
        TfliteBuiltinOperator.MaxPool2D => "MAX_POOL_2D",
        TfliteBuiltinOperator.ResizeBilinear => "RESIZE_BILINEAR",
        _ => op.ToString().ToUpperInvariant(),
    };
}
