namespace HdrKit.Semantic.Tflite;

/// <summary>
/// BuiltinOperator codes from TFLite's schema.fbs (the values are the file format, not an HdrKit choice).
/// Only the codes HdrKit names; any other code is kept as its number and reported by name "BUILTIN_&lt;n&gt;".
/// </summary>
public enum TfliteBuiltinOperator
{
    Add = 0,
    AveragePool2D = 1,
    Concatenation = 2,
    Conv2D = 3,
    DepthwiseConv2D = 4,
    DepthToSpace = 5,
    Dequantize = 6,
    FullyConnected = 9,
    Logistic = 14,
    MaxPool2D = 17,
    Mul = 18,
    Relu = 19,
    Relu6 = 21,
    Reshape = 22,
    ResizeBilinear = 23,
    Softmax = 25,
    Tanh = 28,
    Pad = 34,
    Mean = 40,
    Sub = 41,
    Custom = 32,
}
