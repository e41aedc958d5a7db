using HdrKit.Imaging;

namespace HdrKit.Semantic;

/// <summary>Colour-coded pictures of segment and class maps for people to look at (not for training).</summary>
public static class SegmentPreview
{
    /// <summary>One colour per segment id (golden-ratio hues, so neighbouring ids differ); the rest bucket is grey.</summary>
    public static FloatImage Colorize(SegmentMap map)
    {
        var palette = new (float R, float G, float B)[map.Count];
        for (int id = 0; id < map.Count; id++)
        {
            float hue = id * 0.6180339887f % 1f;
            float value = 0.65f + 0.35f * (id * 7 % 3) / 2f;
            palette[id] = id == map.RestId ? (0.35f, 0.35f, 0.35f) : Hsv(hue, 0.75f, value);
        }
        var img = new FloatImage(map.Width, map.Height, 3);
        int n = map.Width * map.Height;
        for (int i = 0; i < n; i++)
        {
            var (r, g, b) = palette[map.Ids[i]];
            img.Data[i] = r; img.Data[n + i] = g; img.Data[2 * n + i] = b;
        }
        return img;
    }

    /// <summary>
    /// The reference blended with PASCAL VOC's class colours (background left as is) and the segment
    /// boundaries drawn in white: shows at a glance what DeepLab saw and where "segment everything" cut.
    /// </summary>
    public static FloatImage ClassOverlay(FloatImage reference, int[]? classMap, SegmentMap? segments, float alpha = 0.55f)
    {
        var img = reference.Clone();
        int w = img.Width, h = img.Height, n = w * h;
        if (classMap != null)
            for (int i = 0; i < n; i++)
            {
                int k = classMap[i];
                if (k == 0) continue;
                var (r, g, b) = VocColour(k);
                img.Data[i] = (1 - alpha) * img.Data[i] + alpha * r;
                img.Data[n + i] = (1 - alpha) * img.Data[n + i] + alpha * g;
                img.Data[2 * n + i] = (1 - alpha) * img.Data[2 * n + i] + alpha * b;
            }
        if (segments != null)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int id = segments[y, x];
                    bool edge = (x + 1 < w && segments[y, x + 1] != id) || (y + 1 < h && segments[y + 1, x] != id);
                    if (edge) { int i = y * w + x; img.Data[i] = img.Data[n + i] = img.Data[2 * n + i] = 1f; }
                }
        return img;
    }

    /// <summary>The PASCAL VOC palette: class bits spread over the high bits of R, G, B in turn.</summary>
    public static (float R, float G, float B) VocColour(int label)
    {
        int r = 0, g = 0, b = 0;
        for (int shift = 7, c = label; c > 0; shift--, c >>= 3)
        {
            r |= (c & 1) << shift;
            g |= ((c >> 1) & 1) << shift;
            b |= ((c >> 2) & 1) << shift;
        }
        return (r / 255f, g / 255f, b / 255f);
    }

    private static (float, float, float) Hsv(float h, float s, float v)
    {
        float c = v * s, hp = h * 6, x = c * (1 - MathF.Abs(hp % 2 - 1)), m = v - c;
        var (r, g, b) = (int)hp switch { 0 => (c, x, 0f), 1 => (x, c, 0f), 2 => (0f, c, x), 3 => (0f, x, c), 4 => (x, 0f, c), _ => (c, 0f, x) };
        return (r + m, g + m, b + m);
    }
}
