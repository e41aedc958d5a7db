namespace HdrKit.Imaging;

/// <summary>
/// Checks an image before an HDR writer touches the disk: radiance files cannot represent NaN, infinity or negative
/// values, and silently clamping them would hide a bug upstream (a broken merge, a bad network output).
/// </summary>
public static class RadianceValidation
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad sample's pixel and channel.</summary>
    public static void ThrowIfInvalid(FloatImage image, string target)
    {
        int i = image.FindInvalidRadiance();
        if (i < 0) return;
        var (c, y, x) = image.Unravel(i);
        float v = image.Data[i];
        string what = float.IsNaN(v) ? "NaN" : float.IsInfinity(v) ? "an infinite value" : $"a negative value ({v})";
        throw new ArgumentException(
            $"cannot write {target}: pixel (x={x}, y={y}) channel {c} holds {what}; radiance must be finite and non-negative");
    }

    /// <summary>Throws unless the image has 1 (grey) or 3 (RGB) channels, the layouts every HDR format here stores.</summary>
    public static void ThrowIfNotGreyOrRgb(FloatImage image, string target)
    {
        if (image.Channels != 1 && image.Channels != 3)
            throw new ArgumentException($"cannot write {target}: image has {image.Channels} channels, expected 1 (grey) or 3 (RGB)");
    }
}
