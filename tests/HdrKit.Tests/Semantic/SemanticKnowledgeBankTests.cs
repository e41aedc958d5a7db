using System.Text.Json;
using HdrKit.Imaging;
using HdrKit.Semantic;
using TorchSharp;

namespace HdrKit.Tests.Semantic;

public class SemanticKnowledgeBankTests
{
    [Fact]
    public void LabelsThePingPongPlayerAsPerson()
    {
        var path = TestData.SharedOrSkip("data", "brackets", "pingpong", "Img2.JPG");
        // Hand-checked boxes (player, and a box inside the red sweater) read off a gridded preview of the image;
        // Fixtures/Semantic/draw_pingpong_grid.py redraws that preview with the boxes on top.
        using var fixture = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("Semantic", "pingpong_person_box.json")));
        var playerBox = Box(fixture, "player_box_xyxy");
        var torsoBox = Box(fixture, "torso_box_xyxy");
        var reference = LdrImageFile.Read(path).Pixels;
        using var skb = new SemanticKnowledgeBank(DeepLabV3Backend.FromShared());
        using var priors = skb.Compute(reference);
        int person = priors.ClassIndex("person");
        Assert.Equal(15, person);
        var map = priors.ClassMap!;
        int w = reference.Width, h = reference.Height;
        int x0 = w, y0 = h, x1 = 0, y1 = 0, torso = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (map[y * w + x] != person) continue;
                x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x + 1); y1 = Math.Max(y1, y + 1);
                if (x >= torsoBox.X0 && x < torsoBox.X1 && y >= torsoBox.Y0 && y < torsoBox.Y1) torso++;
            }
        double iou = Iou((x0, y0, x1, y1), playerBox);
        Assert.True(iou > 0.8, $"person box ({x0},{y0})-({x1},{y1}) has IoU {iou:F3} with the hand-checked box");
        double torsoCover = torso / (double)((torsoBox.X1 - torsoBox.X0) * (torsoBox.Y1 - torsoBox.Y0));
        Assert.True(torsoCover > 0.98, $"only {torsoCover:P1} of the torso is labelled person");
    }

    private static (int X0, int Y0, int X1, int Y1) Box(JsonDocument fixture, string name)
    {
        var v = fixture.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (v[0], v[1], v[2], v[3]);
    }

    private static double Iou((int X0, int Y0, int X1, int Y1) a, (int X0, int Y0, int X1, int Y1) b)
    {
        long iw = Math.Max(0, Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0)), ih = Math.Max(0, Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0));
        long inter = iw * ih, union = (long)(a.X1 - a.X0) * (a.Y1 - a.Y0) + (long)(b.X1 - b.X0) * (b.Y1 - b.Y0) - inter;
        return inter / (double)union;
    }

    private static FloatImage Synthetic(int w, int h)
    {
        var rgb = DeepLabModel.SyntheticRgb(h, w);
        var img = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[c, y, x] = rgb[y, x, c] / 255f;
        return img;
    }

    [Fact]
    public void FeaturesAreOnTheImageGridAtStrides2To16()
    {
        DeepLabModel.PathOrSkip();
        using var skb = new SemanticKnowledgeBank(DeepLabV3Backend.FromShared(workingSize: 129));
        var images = new[] { Synthetic(101, 67), Synthetic(101, 67), Synthetic(50, 90) };
        var priors = skb.Compute(images, batchSize: 2);
        try
        {
            Assert.Equal([48, 72, 160, 256], skb.Backend.FeatureInfo.Select(f => f.Channels));
            Assert.Equal([2, 4, 8, 16], skb.Backend.FeatureInfo.Select(f => f.Reduction));
            for (int i = 0; i < images.Length; i++)
            {
                var (w, h) = (images[i].Width, images[i].Height);
                for (int level = 0; level < 4; level++)
                {
                    int s = 2 << level;
                    Assert.Equal(new long[] { skb.Backend.FeatureInfo[level].Channels, (h + s - 1) / s, (w + s - 1) / s }, priors[i].Features[level].shape);
                }
                Assert.Equal(new long[] { 21, h, w }, priors[i].ClassProbabilities!.shape);
                Assert.Equal(1.0, priors[i].ClassProbabilities!.sum(dim: 0).mean().item<float>(), 4);
            }
            // Batched and single runs of the same image agree.
            Assert.Equal(priors[0].Segments.Ids, priors[1].Segments.Ids);
            Assert.True(priors[0].Features[3].allclose(priors[1].Features[3], rtol: 1e-4, atol: 1e-4));
        }
        finally { foreach (var p in priors) p.Dispose(); }
    }

    [Fact]
    public void CacheRoundTripsAndIsKeyedByTheInput()
    {
        DeepLabModel.PathOrSkip();
        using var dir = new TestData.TempDir();
        using var skb = new SemanticKnowledgeBank(DeepLabV3Backend.FromShared(workingSize: 129));
        var image = Synthetic(97, 65);
        using var first = skb.GetOrCompute(image, dir.Path);
        var path = skb.CachePath(image, dir.Path);
        Assert.True(File.Exists(path));
        var written = File.GetLastWriteTimeUtc(path);
        using var second = skb.GetOrCompute(image, dir.Path);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal(first.Segments.Ids, second.Segments.Ids);
        Assert.Equal(first.Segments.Count, second.Segments.Count);
        for (int i = 0; i < 4; i++)
            Assert.True(first.Features[i].allclose(second.Features[i], rtol: 1e-2, atol: 1e-2), $"feature {i} changed through the cache");

        var changed = image.Clone();
        changed.Data[0] += 0.01f;
        Assert.NotEqual(path, skb.CachePath(changed, dir.Path));
        using var other = new SemanticKnowledgeBank(DeepLabV3Backend.FromShared(workingSize: 129), new FelzenszwalbOptions { K = 100 });
        Assert.NotEqual(path, other.CachePath(image, dir.Path));
    }

    [Fact]
    public void RejectsNonRgbReferences()
    {
        DeepLabModel.PathOrSkip();
        using var skb = new SemanticKnowledgeBank(DeepLabV3Backend.FromShared(workingSize: 129));
        var e = Assert.Throws<ArgumentException>(() => skb.Compute(new FloatImage(8, 8, 1)));
        Assert.Contains("RGB", e.Message);
    }
}
