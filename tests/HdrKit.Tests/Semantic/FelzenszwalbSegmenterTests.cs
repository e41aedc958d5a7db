using HdrKit.Imaging;
using HdrKit.Semantic;

namespace HdrKit.Tests.Semantic;

public class FelzenszwalbSegmenterTests
{
    /// <summary>Four flat quadrants with mild deterministic noise; quadrant colours far apart.</summary>
    private static FloatImage Quadrants(int w = 64, int h = 48)
    {
        var img = new FloatImage(w, h, 3);
        var rng = new Random(7);
        float[][] colours = [[0.9f, 0.1f, 0.1f], [0.1f, 0.8f, 0.2f], [0.1f, 0.2f, 0.9f], [0.9f, 0.9f, 0.2f]];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var col = colours[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
                for (int c = 0; c < 3; c++) img[c, y, x] = col[c] + (float)(rng.NextDouble() - 0.5) * 0.04f;
            }
        return img;
    }

    [Fact]
    public void FindsTheFourQuadrants()
    {
        // σ-blurred quadrant borders form one-to-two-pixel strips of mixed colour; the minimum area (5% = 154 px) must
        // exceed a strip's length to fold them back in. scikit-image's felzenszwalb(scale=300, sigma=0.8) on a
        // like image gives 12 segments at min_size=31 and 4 at min_size=154.
        var map = new FelzenszwalbSegmenter(new FelzenszwalbOptions { K = 300, MinAreaFraction = 0.05 }).Segment(Quadrants());
        Assert.Equal(4, map.Count);
        Assert.Null(map.RestId);
        // Each quadrant is one segment: corners of different quadrants differ, and every pixel more than the blur
        // radius (4 px) away from a border carries its quadrant's corner id. The mixed-colour border strips may join
        // either side, so they are not checked.
        var corners = new[] { map[0, 0], map[0, 63], map[47, 0], map[47, 63] };
        Assert.Equal(4, corners.Distinct().Count());
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
            {
                if (Math.Abs(y - 23.5) < 4 || Math.Abs(x - 31.5) < 4) continue;
                Assert.Equal(map[y < 24 ? 0 : 47, x < 32 ? 0 : 63], map[y, x]);
            }
    }

    [Fact]
    public void IdsAreContiguousMinimumAreaHoldsAndRunsAreDeterministic()
    {
        var rng = new Random(3);
        var img = new FloatImage(80, 60, 3);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (float)rng.NextDouble();
        var options = new FelzenszwalbOptions { K = 200, MinAreaFraction = 0.02 };
        var a = new FelzenszwalbSegmenter(options).Segment(img);
        var b = new FelzenszwalbSegmenter(options).Segment(img);
        Assert.Equal(a.Ids, b.Ids);
        var areas = a.Areas();
        Assert.All(areas, n => Assert.True(n > 0));   // every id 0..Count−1 is used
        Assert.Equal(a.Count, a.Ids.Distinct().Count());
        int minArea = options.MinArea(80 * 60);
        for (int id = 0; id < a.Count; id++)
            if (id != a.RestId) Assert.True(areas[id] >= minArea, $"segment {id} has {areas[id]} px < {minArea}");
        Assert.True(areas.Zip(areas.Skip(1)).Where((p, i) => i + 1 != a.RestId).All(p => p.First >= p.Second), "ids are not ordered by area");
    }

    [Fact]
    public void ClassBoundariesSplitAFlatRegion()
    {
        var img = new FloatImage(40, 20, 3);
        Array.Fill(img.Data, 0.5f);
        var classes = new int[40 * 20];
        for (int y = 0; y < 20; y++) for (int x = 20; x < 40; x++) classes[y * 40 + x] = 15;
        var options = new FelzenszwalbOptions { MinAreaFraction = 0.05 };
        Assert.Equal(1, new FelzenszwalbSegmenter(options).Segment(img).Count);
        var refined = new FelzenszwalbSegmenter(options).Segment(img, classes);
        Assert.Equal(2, refined.Count);
        Assert.NotEqual(refined[10, 19], refined[10, 20]);
        Assert.Equal(1, new FelzenszwalbSegmenter(options with { RespectClassBoundaries = false }).Segment(img, classes).Count);
    }

    [Fact]
    public void RejectsBadOptions()
    {
        Assert.Throws<ArgumentException>(() => new FelzenszwalbSegmenter(new FelzenszwalbOptions { K = 0 }));
        Assert.Throws<ArgumentException>(() => new FelzenszwalbSegmenter(new FelzenszwalbOptions { Sigma = -1 }));
    }
}
