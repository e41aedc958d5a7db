using HdrKit.Imaging;

namespace HdrKit.Tests.Imaging;

/// <summary>The 16x8 gradient the HDR fixture script wrote with foreign tools, and comparisons against it.</summary>
internal static class HdrFixtures
{
    public static string Path(string name) => TestData.Fixture("Imaging", name);

    /// <summary>The source RGB values from hdr_expected.json.</summary>
    public static FloatImage Gradient()
    {
        var e = FixtureJson.Load("hdr_expected.json", "hwc");
        var hwc = e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        return FloatImage.FromInterleaved(hwc, 16, 8, 3);
    }

    public static FloatImage GreyGradient()
    {
        var e = FixtureJson.Load("hdr_expected.json", "grey_hw");
        return new FloatImage(16, 8, 1, e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray());
    }

    public static void AssertExact(FloatImage expected, FloatImage actual)
    {
        Assert.Equal((expected.Width, expected.Height, expected.Channels), (actual.Width, actual.Height, actual.Channels));
        for (int i = 0; i < expected.Data.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected.Data[i]) != BitConverter.SingleToInt32Bits(actual.Data[i]))
            {
                var (c, y, x) = expected.Unravel(i);
                Assert.Fail($"({x},{y}) channel {c}: expected {expected.Data[i]}, got {actual.Data[i]}");
            }
    }

    /// <summary>Error per sample at most <paramref name="fraction"/> of the pixel's brightest component (shared-exponent formats).</summary>
    public static void AssertRelativeToPixelMax(FloatImage expected, FloatImage actual, float fraction)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        for (int y = 0; y < expected.Height; y++)
            for (int x = 0; x < expected.Width; x++)
            {
                float max = 0;
                for (int c = 0; c < expected.Channels; c++) max = Math.Max(max, expected[c, y, x]);
                for (int c = 0; c < expected.Channels; c++)
                    Assert.True(Math.Abs(expected[c, y, x] - actual[c, y, x]) <= max * fraction + 1e-30f,
                        $"({x},{y}) channel {c}: expected {expected[c, y, x]}, got {actual[c, y, x]}");
            }
    }
}
