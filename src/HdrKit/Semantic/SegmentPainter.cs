namespace HdrKit.Semantic;

/// <summary>
/// Turns possibly overlapping binary masks (SAM / FastSAM automatic masks, or any plug-in segmenter) into one
/// <see cref="SegmentMap"/> the way SMHDR does: masks painted largest first, so smaller masks stay visible on
/// top of the larger ones they overlap; pixels no mask covers and masks left with fewer than the minimum
/// area share one id.
/// </summary>
public static class SegmentPainter
{
    public static SegmentMap Paint(IReadOnlyList<bool[]> masks, int width, int height, int minArea)
    {
        int n = width * height;
        foreach (var m in masks)
            if (m.Length != n) throw new ArgumentException($"a mask has {m.Length} pixels, expected {width}x{height}");
        var labels = new int[n];
        Array.Fill(labels, -1);
        var order = Enumerable.Range(0, masks.Count).Select(i => (i, area: masks[i].Count(b => b)))
            .OrderByDescending(x => x.area).ThenBy(x => x.i).Select(x => x.i);
        foreach (var i in order)
        {
            var m = masks[i];
            for (int p = 0; p < n; p++) if (m[p]) labels[p] = i;
        }
        return SegmentMap.FromLabels(labels, width, height, minArea);
    }
}
