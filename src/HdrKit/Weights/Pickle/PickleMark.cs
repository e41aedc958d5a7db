namespace HdrKit.Weights.Pickle;

/// <summary>The MARK opcode's stack sentinel: TUPLE, SETITEMS, APPENDS collect everything above it.</summary>
internal sealed class PickleMark
{
    public static readonly PickleMark Instance = new();
    private PickleMark() { }
}
