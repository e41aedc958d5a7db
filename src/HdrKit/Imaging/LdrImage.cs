namespace HdrKit.Imaging;

/// <summary>
/// A camera-encoded (not linearised) LDR frame: RGB samples in [0,1] as code / (2^BitDepth - 1), with the bit depth
/// of the file it came from, so consumers can tell 8-bit quantisation from 16-bit.
/// </summary>
/// <param name="Pixels">3-channel image in [0,1], standard orientation (EXIF orientation already applied).</param>
/// <param name="BitDepth">8 or 16: bits per sample in the file.</param>
/// <param name="FileChannels">Colour channels in the file: 1 (grey, replicated to RGB here) or 3.</param>
/// <param name="HadAlpha">Whether the file carried an alpha channel (dropped here).</param>
public sealed record LdrImage(FloatImage Pixels, int BitDepth, int FileChannels, bool HadAlpha)
{
    /// <summary>The largest code value: 255 or 65535.</summary>
    public int MaxCode => (1 << BitDepth) - 1;
    public int Width => Pixels.Width;
    public int Height => Pixels.Height;
}
