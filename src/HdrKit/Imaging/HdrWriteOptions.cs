namespace HdrKit.Imaging;

/// <summary>Choices for <see cref="HdrImageFile.Write"/>; only OpenEXR has any.</summary>
/// <param name="ExrPixelType">Half (default: what renderers and most tools expect, 11 significant bits, max 65504) or Float.</param>
/// <param name="ExrCompression">None, Zips or Zip (default, lossless, 16 lines per block).</param>
public sealed record HdrWriteOptions(ExrPixelType ExrPixelType = ExrPixelType.Half, ExrCompression ExrCompression = ExrCompression.Zip)
{
    public static HdrWriteOptions Default { get; } = new();
}
