namespace HdrKit.Semantic.Tflite;

/// <summary>Per-tensor quantisation (affine: real = scale · (q − zero_point)), empty for float tensors.</summary>
public sealed record TfliteQuantization(float[] Scale, long[] ZeroPoint, int QuantizedDimension)
{
    public bool IsEmpty => Scale.Length == 0;
}
