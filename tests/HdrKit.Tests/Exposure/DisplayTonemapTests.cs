using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Exposure;

public class DisplayTonemapTests
{
    /// <summary>
    /// A synthetic daylight scene in linear Rec. 709: blue sky ~8× brighter than textured ground, a sun disc
    /// 1e4× the ground, a deep shadow, a few NaN-free zero pixels; values spread over ~17 stops.
    /// </summary>
    private static FloatImage Outdoor(int w = 96, int h = 64, int seed = 11)
    {
        var rng = new Random(seed);
        var img = new FloatImage(w, h, 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double r, g, b;
                if (y < h / 3)
                {
                    double sky = 8.0 * (0.7 + 0.3 * y / (h / 3.0));
                    (r, g, b) = (0.6 * sky, 0.8 * sky, 1.2 * sky);
                    if (Math.Pow(x - 0.75 * w, 2) + Math.Pow(y - h / 8.0, 2) < 9) (r, g, b) = (1e4, 9e3, 8e3);
                }
                else
                {
                    double ground = Math.Exp(rng.NextDouble() * 1.5 - 0.75) * (x < w / 4 ? 0.08 : 1.0);
                    (r, g, b) = (0.9 * ground, 0.8 * ground, 0.5 * ground);
                }
                img[0, y, x] = (float)r; img[1, y, x] = (float)g; img[2, y, x] = (float)b;
            }
        img[0, h - 1, 0] = img[1, h - 1, 0] = img[2, h - 1, 0] = 0f;
        return img;
    }

    private static double Mean(FloatImage img) => img.Data.Average(v => (double)v);

    [Fact]
    public void OutputIsMonotonicInLuminance()
    {
        // Grey pixels spanning 24 stops in random order: sorting by input must sort the output.
        var rng = new Random(3);
        var img = new FloatImage(200, 1, 3);
        for (int x = 0; x < 200; x++)
        {
            float v = (float)Math.Pow(2, rng.NextDouble() * 24 - 16);
            img[0, 0, x] = img[1, 0, x] = img[2, 0, x] = v;
        }
        var display = DisplayTonemap.Default.Apply(img);
        var order = Enumerable.Range(0, 200).OrderBy(x => img[1, 0, x]).ToArray();
        for (int i = 1; i < order.Length; i++)
            Assert.True(display[1, 0, order[i]] >= display[1, 0, order[i - 1]],
                $"luminance {img[1, 0, order[i]]} displays darker than {img[1, 0, order[i - 1]]}");
        Assert.True(display[1, 0, order[^1]] > display[1, 0, order[0]] + 0.5);
    }

    [Fact]
    public void AutoKeyMakesThePreviewScaleInvariant()
    {
        var hdr = Outdoor();
        var dim = hdr.Clone();
        for (int i = 0; i < dim.Data.Length; i++) dim.Data[i] *= 1e-3f;
        var a = DisplayTonemap.Default.Apply(hdr);
        var b = DisplayTonemap.Default.Apply(dim);
        for (int i = 0; i < a.Data.Length; i++) Assert.Equal(a.Data[i], b.Data[i], 1e-4f);
    }

    [Fact]
    public void TypicalOutdoorSceneHasAComfortableMeanAndRollsOffHighlights()
    {
        var display = DisplayTonemap.Default.Apply(Outdoor());
        double mean = Mean(display);
        Assert.InRange(mean, 0.25, 0.6);
        Assert.InRange(display.Data.Max(), 0.99f, 1f);   // the sun reaches white
        // The sky stays blue: colour ratios survive with s = 0.8.
        Assert.True(display[2, 5, 10] > display[0, 5, 10] + 0.05);
    }

    [Fact]
    public void ExposureBiasBrightensAndDarkens()
    {
        var hdr = Outdoor();
        double baseMean = Mean(DisplayTonemap.Default.Apply(hdr));
        Assert.True(Mean((DisplayTonemap.Default with { ExposureStops = 1 }).Apply(hdr)) > baseMean + 0.03);
        Assert.True(Mean((DisplayTonemap.Default with { ExposureStops = -1 }).Apply(hdr)) < baseMean - 0.03);
    }

    [Fact]
    public void InvalidSamplesRenderBlackAndLeaveTheRestAlone()
    {
        var clean = Outdoor();
        var dirty = clean.Clone();
        dirty[0, 40, 40] = float.NaN;
        dirty[1, 41, 40] = float.PositiveInfinity;
        dirty[2, 42, 40] = -5f;
        foreach (var (c, y) in new[] { (0, 40), (1, 41), (2, 42) }) clean[c, y, 40] = 0f;

        var a = DisplayTonemap.Default.Apply(dirty);
        var b = DisplayTonemap.Default.Apply(clean);
        Assert.Equal(b.Data, a.Data);
        Assert.All(a.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(0f, a[0, 40, 40]);
    }

    [Fact]
    public void BlackImageStaysBlack()
    {
        var display = DisplayTonemap.Default.Apply(new FloatImage(8, 8, 3));
        Assert.All(display.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadSettingsAreRejectedByName()
    {
        var img = Outdoor(16, 16);
        Assert.Equal("Key", Assert.Throws<ArgumentException>(() => (DisplayTonemap.Default with { Key = 0 }).Apply(img)).ParamName);
        Assert.Equal("WhitePercentile", Assert.Throws<ArgumentException>(() => (DisplayTonemap.Default with { WhitePercentile = 101 }).Apply(img)).ParamName);
        Assert.Equal("hdr", Assert.Throws<ArgumentException>(() => DisplayTonemap.Default.Apply(new FloatImage(4, 4, 2))).ParamName);
    }
}
