namespace HdrKit.Semantic.Tflite;

/// <summary>Padding from schema.fbs: SAME = 0, VALID = 1.</summary>
public enum TflitePadding : sbyte
{
    Same = 0,
    Valid = 1,
}
