#:project ../src/HdrKit/HdrKit.csproj
#:property RuntimeIdentifier=linux-x64
// Puts previews next to each other with a label on each, for the comparisons in docs/:
//   dotnet run scripts/side-by-side.cs -- OUT.png WIDTH [--crop=X,Y,W,H] "label=preview.png" "label=preview.png" ...
// WIDTH is each panel's width in pixels (heights follow the first image's aspect ratio, or the crop's).
// --crop shows the same region (in source pixels) of every image, for close-ups of ghosts.
using SkiaSharp;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: side-by-side OUT.png PANEL_WIDTH \"label=image.png\" ...");
    return 1;
}
int panelWidth = int.Parse(args[1]);
SKRectI? crop = null;
if (args[2].StartsWith("--crop="))
{
    var c = args[2]["--crop=".Length..].Split(',').Select(int.Parse).ToArray();
    crop = SKRectI.Create(c[0], c[1], c[2], c[3]);
}
var panels = args.Skip(crop == null ? 2 : 3).Select(a => a.Split('=', 2)).Select(p => (Label: p[0], Image: SKBitmap.Decode(p[1]) ?? throw new FileNotFoundException(p[1]))).ToList();
var source = crop ?? SKRectI.Create(0, 0, panels[0].Image.Width, panels[0].Image.Height);
int panelHeight = (int)Math.Round(source.Height * (double)panelWidth / source.Width);
const int gap = 6;
using var canvasBitmap = new SKBitmap(panels.Count * panelWidth + (panels.Count - 1) * gap, panelHeight);
using (var canvas = new SKCanvas(canvasBitmap))
{
    canvas.Clear(SKColors.White);
    using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default, Math.Max(14, panelWidth / 32f));
    using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
    using var box = new SKPaint { Color = new SKColor(0, 0, 0, 170) };
    for (int i = 0; i < panels.Count; i++)
    {
        float x = i * (panelWidth + gap);
        using var image = SKImage.FromBitmap(panels[i].Image);
        canvas.DrawImage(image, crop ?? SKRect.Create(image.Width, image.Height), new SKRect(x, 0, x + panelWidth, panelHeight), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        float w = font.MeasureText(panels[i].Label);
        canvas.DrawRect(x, 0, w + font.Size, font.Size * 1.6f, box);
        canvas.DrawText(panels[i].Label, x + font.Size / 2, font.Size * 1.15f, SKTextAlign.Left, font, text);
    }
}
using var data = canvasBitmap.Encode(SKEncodedImageFormat.Png, 100);
File.WriteAllBytes(args[0], data.ToArray());
Console.WriteLine($"wrote {args[0]} ({canvasBitmap.Width}x{canvasBitmap.Height})");
return 0;
