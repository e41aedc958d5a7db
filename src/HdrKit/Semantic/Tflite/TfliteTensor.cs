namespace HdrKit.Semantic.Tflite;

/// <summary>One tensor of a subgraph. <see cref="Buffer"/> indexes the model's buffers; buffer 0 is the empty sentinel.</summary>
public sealed record TfliteTensor(int Index, string Name, int[] Shape, TfliteTensorType Type, int Buffer, TfliteQuantization Quantization)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
    public override string ToString() => $"{Name} {Type}[{string.Join(",", Shape)}]";
}
