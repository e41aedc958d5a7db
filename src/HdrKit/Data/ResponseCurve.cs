namespace HdrKit.Data;

/// <summary>
/// A camera response: maps linear sensor values in [0,1] (after clipping) to encoded LDR values in [0,1].
/// Strictly increasing, so <see cref="Invert"/> is exact up to float precision.
/// </summary>
public abstract class ResponseCurve
{
    public abstract float Apply(float linear);

    public abstract float Invert(float encoded);

    /// <summary>Short human-readable description written to scene metadata.</summary>
    public abstract string Describe();
}
