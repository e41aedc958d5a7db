namespace HdrKit.Semantic.Tflite;

/// <summary>ActivationFunctionType: the activation TFLite fuses into conv, pool, add and concatenation.</summary>
public enum TfliteActivation : sbyte
{
    None = 0,
    Relu = 1,
    ReluN1To1 = 2,
    Relu6 = 3,
    Tanh = 4,
    SignBit = 5,
}
