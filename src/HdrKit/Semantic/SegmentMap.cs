namespace HdrKit.Semantic;

/// <summary>
/// A class-agnostic segment-id map: every pixel holds an id in 0..Count−1, ids ordered by decreasing area
/// (id 0 is the largest segment). When <see cref="RestId"/> is set, that last id is the shared bucket for
/// unassigned pixels and segments under the minimum area, as SMHDR paints SAM's masks.
/// </summary>
public sealed class SegmentMap
{
    public int Width { get; }
    public int Height { get; }
    /// <summary>Row-major ids, index = y · Width + x.</summary>
    public int[] Ids { get; }
    public int Count { get; }
    /// <summary>The id shared by unassigned and too-small pixels, or null when every segment met the minimum area.</summary>
    public int? RestId { get; }

    public SegmentMap(int width, int height, int[] ids, int count, int? restId)
    {
        if (ids.Length != width * height) throw new ArgumentException($"segment map has {ids.Length} ids for {width}x{height} pixels");
        Width = width; Height = height; Ids = ids; Count = count; RestId = restId;
    }

    public int this[int y, int x] => Ids[y * Width + x];

    public int[] Areas()
    {
        var a = new int[Count];
        foreach (var id in Ids) a[id]++;
        return a;
    }

    /// <summary>
    /// Builds the map from arbitrary labels (any ints; negative = unassigned): labels become ids in order of
    /// decreasing area, ties broken by first occurrence in raster order so the result is deterministic;
    /// labels under <paramref name="minArea"/> pixels and unassigned pixels share the last id.
    /// </summary>
    public static SegmentMap FromLabels(ReadOnlySpan<int> labels, int width, int height, int minArea)
    {
        if (labels.Length != width * height) throw new ArgumentException($"{labels.Length} labels for {width}x{height} pixels");
        var area = new Dictionary<int, int>();
        var first = new Dictionary<int, int>();
        for (int i = 0; i < labels.Length; i++)
        {
            int l = labels[i];
            if (l < 0) continue;
            if (area.TryGetValue(l, out var n)) area[l] = n + 1;
            else { area[l] = 1; first[l] = i; }
        }
        var kept = area.Where(kv => kv.Value >= minArea)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => first[kv.Key])
            .Select(kv => kv.Key).ToArray();
        var id = new Dictionary<int, int>(kept.Length);
        for (int i = 0; i < kept.Length; i++) id[kept[i]] = i;

        int rest = kept.Length;
        bool restUsed = false;
        var ids = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= 0 && id.TryGetValue(labels[i], out var v)) ids[i] = v;
            else { ids[i] = rest; restUsed = true; }
        }
        return new SegmentMap(width, height, ids, kept.Length + (restUsed ? 1 : 0), restUsed ? rest : null);
    }
}
