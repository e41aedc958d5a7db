using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// A preview grid of scenes, one row each: the exposures as stored, the ground truth through the μ-law (how the
/// networks are scored), the segment map in random colours and the motion mask over a dimmed reference.
/// </summary>
public static class ContactSheet
{
    private const int Gap = 4;

    public static FloatImage Build(IReadOnlyList<SimulatedScene> scenes, int downscale = 1)
    {
        if (scenes.Count == 0) throw new ArgumentException("a contact sheet needs at least one scene");
        if (downscale < 1) throw new ArgumentException($"downscale must be at least 1, got {downscale}");
        int cols = scenes.Max(s => s.Frames.Count) + 3;
        int tw = scenes.Max(s => s.Width) / downscale, th = scenes.Max(s => s.Height) / downscale;
        var sheet = new FloatImage(cols * (tw + Gap) - Gap, scenes.Count * (th + Gap) - Gap, 3);
        Array.Fill(sheet.Data, 1f);
        for (int r = 0; r < scenes.Count; r++)
        {
            var s = scenes[r];
            var tiles = s.Frames.ToList();
            while (tiles.Count < cols - 3) tiles.Add(Blank(s)); // brackets with fewer exposures than the widest row
            tiles.Add(ToneMapped(s.GroundTruth));
            tiles.Add(s.Segments != null ? Colourise(s.Segments) : Blank(s));
            tiles.Add(s.MotionMask != null ? MaskOverlay(s.MotionMask, s.Frames[s.ReferenceIndex]) : Blank(s));
            for (int c = 0; c < tiles.Count; c++) Paste(sheet, tiles[c], c * (tw + Gap), r * (th + Gap), downscale);
        }
        return sheet;
    }

    private static FloatImage Blank(SimulatedScene s) => new(s.Width, s.Height, 3, Enumerable.Repeat(1f, 3 * s.Width * s.Height).ToArray());

    private static FloatImage ToneMapped(FloatImage hdr)
    {
        var t = hdr.Clone();
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = Math.Clamp(t.Data[i], 0f, 1f);
        MuLaw.ApplyInPlace(t.Data);
        return t;
    }

    private static FloatImage Colourise(LabelImage labels)
    {
        var img = new FloatImage(labels.Width, labels.Height, 3);
        int n = labels.Labels.Length;
        for (int i = 0; i < n; i++)
        {
            int id = labels.Labels[i];
            if (id == 0) continue; // unassigned stays black
            uint h = (uint)id * 2654435761u;
            img.Data[i] = 0.25f + 0.75f * ((h >> 8) & 255) / 255f;
            img.Data[n + i] = 0.25f + 0.75f * ((h >> 16) & 255) / 255f;
            img.Data[2 * n + i] = 0.25f + 0.75f * ((h >> 24) & 255) / 255f;
        }
        return img;
    }

    private static FloatImage MaskOverlay(LabelImage mask, FloatImage reference)
    {
        var img = reference.Clone();
        int n = mask.Labels.Length;
        for (int i = 0; i < n; i++)
        {
            bool m = mask.Labels[i] != 0;
            img.Data[i] = m ? 1f : 0.35f * img.Data[i];
            img.Data[n + i] = m ? 0.2f : 0.35f * img.Data[n + i];
            img.Data[2 * n + i] = m ? 0.2f : 0.35f * img.Data[2 * n + i];
        }
        return img;
    }

    /// <summary>Box-filtered copy of <paramref name="tile"/> at (x0, y0), reduced by <paramref name="f"/>.</summary>
    private static void Paste(FloatImage sheet, FloatImage tile, int x0, int y0, int f)
    {
        int w = tile.Width / f, h = tile.Height / f;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float sum = 0;
                    for (int dy = 0; dy < f; dy++)
                        for (int dx = 0; dx < f; dx++) sum += tile[Math.Min(c, tile.Channels - 1), y * f + dy, x * f + dx];
                    sheet[c, y0 + y, x0 + x] = sum / (f * f);
                }
    }
}
