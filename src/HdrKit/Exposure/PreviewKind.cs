namespace HdrKit.Exposure;

/// <summary>Ways to turn linear HDR into something a screen can show; see <see cref="Preview"/>.</summary>
public enum PreviewKind
{
    /// <summary>Reinhard's global operator, auto-keyed, with sRGB encoding: the default for looking at results.</summary>
    Tonemapped,
    /// <summary>Scale by 2^stops, clip, sRGB-encode: what a camera would have shot, highlights clip.</summary>
    Exposure,
    /// <summary>The μ-law curve the papers train and show figures in; flat and dark to the eye, but comparable.</summary>
    MuLaw,
}
