namespace HdrKit.Semantic;

/// <summary>Agreement between a predicted and a ground-truth segmentation, independent of id values.</summary>
public static class SegmentationScores
{
    /// <summary>Hubert–Arabie adjusted Rand index over all pixel pairs: 1 = same partition, ≈0 = chance.</summary>
    public static double AdjustedRand(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException($"label maps differ in size: {predicted.Length} vs {truth.Length}");
        var joint = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var cols = new Dictionary<int, long>();
        for (int i = 0; i < predicted.Length; i++)
        {
            var key = (predicted[i], truth[i]);
            joint[key] = joint.GetValueOrDefault(key) + 1;
            rows[predicted[i]] = rows.GetValueOrDefault(predicted[i]) + 1;
            cols[truth[i]] = cols.GetValueOrDefault(truth[i]) + 1;
        }
        static double Pairs(long n) => n * (n - 1) / 2.0;
        double index = joint.Values.Sum(Pairs), a = rows.Values.Sum(Pairs), b = cols.Values.Sum(Pairs);
        double expected = a * b / Pairs(predicted.Length), max = (a + b) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    /// <summary>
    /// Boundary F-score: a boundary pixel (one whose right or lower neighbour has another id) counts as matched
    /// when the other map has a boundary pixel within <paramref name="tolerance"/> pixels (chessboard distance).
    /// </summary>
    public static double BoundaryF(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth, int width, int height, int tolerance = 2)
    {
        if (predicted.Length != width * height || truth.Length != width * height) throw new ArgumentException($"label maps must be {width}x{height}");
        var p = Boundary(predicted, width, height);
        var t = Boundary(truth, width, height);
        var pNear = Dilate(p, width, height, tolerance);
        var tNear = Dilate(t, width, height, tolerance);
        long pCount = 0, pHit = 0, tCount = 0, tHit = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i]) { pCount++; if (tNear[i]) pHit++; }
            if (t[i]) { tCount++; if (pNear[i]) tHit++; }
        }
        if (pCount == 0 && tCount == 0) return 1.0;
        double precision = pCount == 0 ? 0 : pHit / (double)pCount, recall = tCount == 0 ? 0 : tHit / (double)tCount;
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static bool[] Boundary(ReadOnlySpan<int> ids, int w, int h)
    {
        var b = new bool[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                b[i] = (x + 1 < w && ids[i + 1] != ids[i]) || (y + 1 < h && ids[i + w] != ids[i]);
            }
        return b;
    }

    private static bool[] Dilate(bool[] m, int w, int h, int r)
    {
        var rowsDone = new bool[m.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (m[y * w + x]) for (int dx = Math.Max(0, x - r); dx <= Math.Min(w - 1, x + r); dx++) rowsDone[y * w + dx] = true;
        var result = new bool[m.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (rowsDone[y * w + x]) for (int dy = Math.Max(0, y - r); dy <= Math.Min(h - 1, y + r); dy++) result[dy * w + x] = true;
        return result;
    }
}
