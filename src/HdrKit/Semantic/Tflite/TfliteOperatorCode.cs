namespace HdrKit.Semantic.Tflite;

/// <summary>An OperatorCode entry after resolving builtin_code against deprecated_builtin_code.</summary>
public sealed record TfliteOperatorCode(int BuiltinCode, int DeprecatedBuiltinCode, int Version, string? CustomCode);
