namespace HdrKit.Imaging;

/// <summary>OpenEXR channel sample types, numbered as in the channel list.</summary>
public enum ExrPixelType
{
    UInt = 0,
    Half = 1,
    Float = 2,
}
