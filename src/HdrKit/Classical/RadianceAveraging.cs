namespace HdrKit.Classical;

/// <summary>How <see cref="DebevecMerge"/> averages the per-frame radiance estimates.</summary>
public enum RadianceAveraging
{
    /// <summary>Σ w·E_i / Σ w: unbiased for shot noise; Kalantari's and most HDR tools' merge.</summary>
    Linear,
    /// <summary>exp(Σ w·ln E_i / Σ w): Debevec &amp; Malik's eq. 6 and OpenCV's MergeDebevec.</summary>
    Logarithmic,
}
