using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Exposure;

public class PreviewTests
{
    [Fact]
    public void ExposurePreviewScalesClipsAndEncodes()
    {
        var hdr = new FloatImage(4, 1, 1, new[] { 0.09f, 0.25f, 3f, float.NaN });
        var display = Preview.Exposure(hdr, stops: 1);
        // 2·0.09 = 0.18 → 0.4613561; 2·0.25 = 0.5 → 0.7353570 (see SrgbTests); 6 clips to 1; NaN → 0.
        Assert.Equal(new[] { 0.4613561f, 0.7353570f, 1f, 0f }, display.Data, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void MuLawPreviewIsThePapersCurve()
    {
        var hdr = new FloatImage(3, 1, 1, new[] { 0f, 0.01f, 5f });
        var display = Preview.MuLawCurve(hdr);
        // log(1 + 5000·0.01)/log(5001) = log(51)/log(5001) = 3.931826 / 8.517393 = 0.4616231
        Assert.Equal(new[] { 0f, 0.4616231f, 1f }, display.Data, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void BytesAreInterleavedRoundedAndClamped()
    {
        // Two RGB pixels, planar: R = [0, 0.5], G = [1, 1.2], B = [-0.1, NaN] plus one grey image.
        var display = new FloatImage(2, 1, 3, new[] { 0f, 0.5f, 1f, 1.2f, -0.1f, float.NaN });
        Assert.Equal(new byte[] { 0, 255, 0, 128, 255, 0 }, Preview.ToBytes(display));
        var grey = new FloatImage(3, 1, 1, new[] { 0.002f, 0.3f, 0.998f });
        Assert.Equal(new byte[] { 1, 77, 254 }, Preview.ToBytes(grey)); // 0.51, 76.5, 254.49 rounded
    }

    [Fact]
    public void RenderDispatchesOnKind()
    {
        var hdr = new FloatImage(16, 16, 3);
        for (int i = 0; i < hdr.Data.Length; i++) hdr.Data[i] = 0.001f * (i % 97 + 1);
        Assert.Equal(Preview.Exposure(hdr, 2).Data, Preview.Render(hdr, PreviewKind.Exposure, 2).Data);
        Assert.Equal(Preview.MuLawCurve(hdr).Data, Preview.Render(hdr, PreviewKind.MuLaw).Data);
        Assert.Equal(DisplayTonemap.Default.Apply(hdr).Data, Preview.Render(hdr).Data);
    }
}
