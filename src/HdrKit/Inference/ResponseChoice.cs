namespace HdrKit.Inference;

/// <summary>The camera response the classical merge assumes.</summary>
public enum ResponseChoice
{
    /// <summary>Calibrated for brackets of five or more frames, where recovering it is well posed; else γ 2.2.</summary>
    Auto,
    /// <summary>γ 2.2, the deghosting datasets' camera.</summary>
    Gamma,
    /// <summary>Recovered from the bracket (Debevec &amp; Malik).</summary>
    Calibrated,
}
