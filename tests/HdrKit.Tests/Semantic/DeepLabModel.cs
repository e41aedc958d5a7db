namespace HdrKit.Tests.Semantic;

/// <summary>The shared DeepLabV3-MobileNetV2 model and the synthetic input bench/peers/deeplab_armnn.py also builds.</summary>
internal static class DeepLabModel
{
    public static string PathOrSkip() => TestData.SharedOrSkip("models", "deeplabv3-mnv2-voc", "deeplabv3_257_mv_gpu.tflite");

    /// <summary>257×257 RGB bytes from integer arithmetic only, so Python and C# build identical inputs.</summary>
    public static byte[,,] SyntheticRgb(int h = 257, int w = 257)
    {
        var img = new byte[h, w, 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                img[y, x, 0] = (byte)((x * 3 + y * 5 + ((x * y) >> 6)) % 256);
                img[y, x, 1] = (byte)((x - 128) * (x - 128) + (y - 100) * (y - 100) < 60 * 60 ? 220 : (x * 7) % 256);
                img[y, x, 2] = (byte)(((x / 32 + y / 32) % 2) * 180 + 30);
            }
        return img;
    }
}
