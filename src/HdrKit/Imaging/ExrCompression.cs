namespace HdrKit.Imaging;

/// <summary>OpenEXR compression methods, numbered as in the file's compression attribute.</summary>
public enum ExrCompression : byte
{
    None = 0,
    Rle = 1,
    /// <summary>zlib, one scanline per block.</summary>
    Zips = 2,
    /// <summary>zlib, 16 scanlines per block.</summary>
    Zip = 3,
    Piz = 4,
    Pxr24 = 5,
    B44 = 6,
    B44A = 7,
    Dwaa = 8,
    Dwab = 9,
}
