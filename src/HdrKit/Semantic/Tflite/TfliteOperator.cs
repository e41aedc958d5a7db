namespace HdrKit.Semantic.Tflite;

/// <summary>
/// One operator: its resolved builtin code, tensor indices (−1 marks an omitted optional input) and its
/// builtin options, decoded for the operators HdrKit knows (null otherwise).
/// </summary>
public sealed record TfliteOperator(int Index, int OpcodeIndex, int BuiltinCode, int[] Inputs, int[] Outputs, TfliteOptions? Options)
{
    public TfliteBuiltinOperator Builtin => (TfliteBuiltinOperator)BuiltinCode;

    public string OpName => Enum.IsDefined(typeof(TfliteBuiltinOperator), BuiltinCode)
        ? TfliteOptions.SchemaName((TfliteBuiltinOperator)BuiltinCode) : $"BUILTIN_{BuiltinCode}";

    public T OptionsAs<T>() where T : TfliteOptions => Options as T
        ?? throw new InvalidDataException($"operator {Index} ({OpName}) has no {typeof(T).Name}");
}
