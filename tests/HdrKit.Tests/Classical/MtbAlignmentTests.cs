using System.Text.Json;
using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Classical;

public class MtbAlignmentTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, -2)]
    [InlineData(-7, 5)]
    [InlineData(-17, 9)]
    [InlineData(25, -30)]
    public void RecoversAKnownShiftAcrossExposures(int dx, int dy)
    {
        var canvas = Scenes.Textured(260, 200, seed: 3);
        const int w = 192, h = 128, x0 = 34, y0 = 36;
        // moving(x, y) = reference(x + dx, y + dy), so shifting moving by (dx, dy) restores the reference.
        var reference = Scenes.Expose(Crop(canvas, x0, y0, w, h), 1.0 / 4);
        var moving = Scenes.Expose(Crop(canvas, x0 + dx, y0 + dy, w, h), 1.0); // two stops longer
        Assert.Equal((dx, dy), new MtbAlignment().CalculateShift(reference, moving));
    }

    [Fact]
    public void AlignsEveryFrameToTheReferenceAndZeroFillsBorders()
    {
        var canvas = Scenes.Textured(200, 160, seed: 5);
        var frames = new[]
        {
            Scenes.Expose(Crop(canvas, 30 - 4, 20 + 3, 128, 96), 1.0 / 16),
            Scenes.Expose(Crop(canvas, 30, 20, 128, 96), 1.0 / 4),
            Scenes.Expose(Crop(canvas, 30 + 6, 20 - 2, 128, 96), 1.0),
        };
        var result = new MtbAlignment().Align(new Bracket(frames, new[] { 1.0 / 16, 1.0 / 4, 1.0 }, 1));
        Assert.Equal(new[] { (-4, 3), (0, 0), (6, -2) }, result.Shifts);
        Assert.Same(frames[1], result.Aligned.Frames[1]);
        var shifted = result.Aligned.Frames[2];
        Assert.Equal(frames[2][1, 10, 10], shifted[1, 10 - 2, 10 + 6]);
        Assert.Equal(0f, shifted[0, 0, 3]);          // columns 0..5 have no source
        Assert.Equal(0f, shifted[0, 95, 60]);        // the last 2 rows have none either
    }

    [Fact]
    public void DoesAtLeastAsWellAsOpenCvAlignMtbOnARealHandHeldBracket()
    {
        // pingpong has a large moving player, so several shifts are defensible and ours and cv2.AlignMTB (whose
        // ±1 search from a 34-pixel-high top level can lock onto the player) need not agree. What must hold: on
        // the objective both minimise — disagreement of the full-resolution threshold bitmaps — ours is no worse.
        var dir = TestData.SharedOrSkip("data", "brackets", "pingpong");
        var golden = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("Classical", "golden.json"))).RootElement;
        if (!golden.TryGetProperty("mtb_pingpong", out var shifts)) Assert.Skip("golden.json has no cv2 shifts for pingpong");
        var reference = LdrFile.Read(Path.Combine(dir, "Img2.JPG"));
        var mtb = new MtbAlignment();
        foreach (var name in new[] { "Img1.JPG", "Img3.JPG" })
        {
            var moving = LdrFile.Read(Path.Combine(dir, name));
            var cv = shifts.GetProperty($"Img2->{name}").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var (dx, dy) = mtb.CalculateShift(reference, moving);
            double ours = mtb.MismatchFraction(reference, moving, dx, dy), theirs = mtb.MismatchFraction(reference, moving, cv[0], cv[1]);
            TestContext.Current.SendDiagnosticMessage($"{name}: ours ({dx},{dy}) mismatch {ours:P3}; cv2 ({cv[0]},{cv[1]}) mismatch {theirs:P3}");
            Assert.True(ours <= theirs, $"{name}: ours ({dx},{dy}) mismatch {ours:P3} > cv2 ({cv[0]},{cv[1]}) mismatch {theirs:P3}");
        }
    }

    [Fact]
    public void MismatchedSizesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new MtbAlignment().CalculateShift(new FloatImage(8, 8, 3), new FloatImage(8, 9, 3)));
        Assert.Equal("moving", e.ParamName);
    }

    internal static FloatImage Crop(FloatImage image, int x0, int y0, int w, int h)
    {
        var crop = new FloatImage(w, h, image.Channels);
        for (int c = 0; c < image.Channels; c++)
            for (int y = 0; y < h; y++)
                image.Row(c, y0 + y).Slice(x0, w).CopyTo(crop.Row(c, y));
        return crop;
    }
}
