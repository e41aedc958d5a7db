namespace HdrKit.Semantic.Tflite;

/// <summary>One subgraph: tensors, graph inputs/outputs and operators in execution order.</summary>
public sealed record TfliteSubgraph(string? Name, IReadOnlyList<TfliteTensor> Tensors, int[] Inputs, int[] Outputs, IReadOnlyList<TfliteOperator> Operators)
{
    public TfliteTensor Tensor(string name) => Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"the model has no tensor named '{name}'");
}
