namespace HdrKit.Weights.Pickle;

/// <summary>A Python global (module.name) a pickle referred to and the allow-list accepted; never something executed.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
