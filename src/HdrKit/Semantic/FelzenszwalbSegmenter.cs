using HdrKit.Imaging;

namespace HdrKit.Semantic;

/// <summary>
/// Felzenszwalb & Huttenlocher, "Efficient Graph-Based Image Segmentation" (IJCV 2004): 8-connected grid
/// graph over the Gaussian-smoothed image, edge weight = Euclidean RGB distance (0..255 scale, as the
/// authors' released code does rather than intersecting per-channel runs), edges merged in non-decreasing
/// weight order while w ≤ min(Int(C1) + k/|C1|, Int(C2) + k/|C2|), then components under the minimum size
/// joined along the same sorted edges. Optionally a class map (e.g. DeepLab's argmax) vetoes merges across
/// class boundaries in the main pass, so segments follow semantic edges the colour alone misses.
/// Deterministic: a fixed edge order, a deterministic sort and raster-ordered id assignment.
/// </summary>
public sealed class FelzenszwalbSegmenter
{
    // Pushes cross-class edges beyond any threshold a colour edge can reach (max RGB distance 442 + k/1).
    private const float ClassBoundaryPenalty = 1e6f;

    public FelzenszwalbOptions Options { get; }

    public FelzenszwalbSegmenter(FelzenszwalbOptions? options = null)
    {
        Options = options ?? new FelzenszwalbOptions();
        Options.Validate();
    }

    /// <summary>Segments an RGB image with values in [0,1]; <paramref name="classMap"/> (row-major, optional) refines boundaries.</summary>
    public SegmentMap Segment(FloatImage rgb, ReadOnlySpan<int> classMap = default)
    {
        if (rgb.Channels != 3) throw new ArgumentException($"the segmenter needs an RGB image, got {rgb.Channels} channels");
        int w = rgb.Width, h = rgb.Height, n = w * h;
        if (!classMap.IsEmpty && classMap.Length != n) throw new ArgumentException($"class map has {classMap.Length} pixels, image has {n}");
        bool useClasses = Options.RespectClassBoundaries && !classMap.IsEmpty;

        var planes = new float[3][];
        for (int c = 0; c < 3; c++) planes[c] = Smooth(rgb.Plane(c), w, h, Options.Sigma, 255f);

        var (weights, edges) = BuildEdges(planes, w, h, useClasses ? classMap : default);
        Array.Sort(weights, edges);

        var sets = new DisjointSets(n, Options.K);
        for (int i = 0; i < edges.Length; i++)
        {
            var (a, b) = Endpoints(edges[i], w);
            int ra = sets.Find(a), rb = sets.Find(b);
            if (ra != rb && weights[i] <= sets.Threshold[ra] && weights[i] <= sets.Threshold[rb])
                sets.Union(ra, rb, weights[i]);
        }
        int minArea = Options.MinArea(n);
        for (int i = 0; i < edges.Length; i++)
        {
            var (a, b) = Endpoints(edges[i], w);
            int ra = sets.Find(a), rb = sets.Find(b);
            if (ra != rb && (sets.Size[ra] < minArea || sets.Size[rb] < minArea)) sets.Union(ra, rb, weights[i]);
        }

        var labels = new int[n];
        for (int p = 0; p < n; p++) labels[p] = sets.Find(p);
        return SegmentMap.FromLabels(labels, w, h, minArea);
    }

    // Edge e = pixel · 4 + direction; directions right, down, down-right, up-right cover the 8-neighbourhood once.
    private static (int, int) Endpoints(int e, int w)
    {
        int p = e >> 2;
        return (e & 3) switch { 0 => (p, p + 1), 1 => (p, p + w), 2 => (p, p + w + 1), _ => (p, p - w + 1) };
    }

    private static (float[] Weights, int[] Edges) BuildEdges(float[][] planes, int w, int h, ReadOnlySpan<int> classes)
    {
        long count = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                count += (x + 1 < w ? 1 : 0) + (y + 1 < h ? 1 : 0) + (x + 1 < w && y + 1 < h ? 1 : 0) + (x + 1 < w && y > 0 ? 1 : 0);
        if (count > int.MaxValue / 4) throw new ArgumentException($"image {w}x{h} is too large for graph segmentation");
        var weights = new float[count];
        var edges = new int[count];
        int k = 0;
        var (r, g, b) = (planes[0], planes[1], planes[2]);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int p = y * w + x;
                for (int d = 0; d < 4; d++)
                {
                    bool ok = d switch { 0 => x + 1 < w, 1 => y + 1 < h, 2 => x + 1 < w && y + 1 < h, _ => x + 1 < w && y > 0 };
                    if (!ok) continue;
                    var (_, q) = Endpoints(p * 4 + d, w);
                    float dr = r[p] - r[q], dg = g[p] - g[q], db = b[p] - b[q];
                    float wt = MathF.Sqrt(dr * dr + dg * dg + db * db);
                    if (!classes.IsEmpty && classes[p] != classes[q]) wt += ClassBoundaryPenalty;
                    weights[k] = wt;
                    edges[k++] = p * 4 + d;
                }
            }
        return (weights, edges);
    }

    /// <summary>Separable Gaussian blur with the paper code's kernel (radius ⌈4σ⌉, clamped borders), scaled by <paramref name="gain"/>.</summary>
    internal static float[] Smooth(ReadOnlySpan<float> src, int w, int h, float sigma, float gain)
    {
        var output = new float[w * h];
        if (sigma <= 0)
        {
            for (int i = 0; i < output.Length; i++) output[i] = src[i] * gain;
            return output;
        }
        int radius = (int)MathF.Ceiling(sigma * 4);
        var kernel = new float[radius + 1];
        float sum = 0;
        for (int i = 0; i <= radius; i++) { kernel[i] = MathF.Exp(-0.5f * i * i / (sigma * sigma)); sum += i == 0 ? kernel[i] : 2 * kernel[i]; }
        for (int i = 0; i <= radius; i++) kernel[i] /= sum;

        var tmp = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float acc = kernel[0] * src[y * w + x];
                for (int i = 1; i <= radius; i++)
                    acc += kernel[i] * (src[y * w + Math.Max(x - i, 0)] + src[y * w + Math.Min(x + i, w - 1)]);
                tmp[y * w + x] = acc;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float acc = kernel[0] * tmp[y * w + x];
                for (int i = 1; i <= radius; i++)
                    acc += kernel[i] * (tmp[Math.Max(y - i, 0) * w + x] + tmp[Math.Min(y + i, h - 1) * w + x]);
                output[y * w + x] = acc * gain;
            }
        return output;
    }

    /// <summary>Union–find with union by rank, path halving, component sizes and the paper's threshold Int(C) + k/|C|.</summary>
    private sealed class DisjointSets
    {
        private readonly int[] _parent;
        private readonly byte[] _rank;
        private readonly float _k;
        public readonly int[] Size;
        public readonly float[] Threshold;

        public DisjointSets(int n, float k)
        {
            _k = k;
            _parent = new int[n];
            _rank = new byte[n];
            Size = new int[n];
            Threshold = new float[n];
            for (int i = 0; i < n; i++) { _parent[i] = i; Size[i] = 1; Threshold[i] = k; }
        }

        public int Find(int x)
        {
            while (_parent[x] != x) { _parent[x] = _parent[_parent[x]]; x = _parent[x]; }
            return x;
        }

        /// <summary>Joins two roots; edges arrive in non-decreasing order, so <paramref name="weight"/> is the new Int(C).</summary>
        public void Union(int a, int b, float weight)
        {
            if (_rank[a] < _rank[b]) (a, b) = (b, a);
            _parent[b] = a;
            if (_rank[a] == _rank[b]) _rank[a]++;
            Size[a] += Size[b];
            Threshold[a] = weight + _k / Size[a];
        }
    }
}
