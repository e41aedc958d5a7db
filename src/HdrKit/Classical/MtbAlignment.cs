using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>Per-frame translations (applied to each frame: pixel (x, y) moves to (x + Dx, y + Dy)) and the shifted bracket.</summary>
public sealed record AlignmentResult(IReadOnlyList<(int Dx, int Dy)> Shifts, Bracket Aligned);

/// <summary>
/// Translation-only alignment with median threshold bitmaps (Ward, "Fast, Robust Image Registration for
/// Compositing High Dynamic Range Photographs from Hand-Held Exposures", JGT 2003). Thresholding each frame at
/// its own median makes the bitmaps nearly exposure-invariant; pixels within ±<see cref="ExcludeRange"/> of the
/// median flip with noise and are excluded. The search runs coarse to fine over a Gaussian pyramid, testing
/// the 9 shifts around twice the previous level's shift, so L levels reach ±(2^L − 1) pixels.
///
/// Shifted frames are filled with 0 where no source pixel lands: code 0 has zero weight in the merge, so the
/// border counts as "no data" instead of inventing content.
/// </summary>
public sealed class MtbAlignment
{
    public int Levels { get; }
    public int ExcludeRange { get; }

    public MtbAlignment(int levels = 6, int excludeRange = 4)
    {
        if (levels < 1 || levels > 12) throw new ArgumentException($"pyramid levels must be 1..12, got {levels}", nameof(levels));
        if (excludeRange < 0 || excludeRange > 127) throw new ArgumentException($"exclusion range must be 0..127 grey levels, got {excludeRange}", nameof(excludeRange));
        Levels = levels; ExcludeRange = excludeRange;
    }

    /// <summary>Aligns every frame to the bracket's reference frame.</summary>
    public AlignmentResult Align(Bracket bracket, IProgress<double>? progress = null)
    {
        var refPyramid = Pyramid(bracket.Frames[bracket.ReferenceIndex]);
        var shifts = new (int, int)[bracket.Count];
        var frames = new FloatImage[bracket.Count];
        for (int i = 0; i < bracket.Count; i++)
        {
            if (i == bracket.ReferenceIndex) { frames[i] = bracket.Frames[i]; }
            else
            {
                shifts[i] = Search(refPyramid, Pyramid(bracket.Frames[i]));
                frames[i] = Shift(bracket.Frames[i], shifts[i].Item1, shifts[i].Item2);
            }
            progress?.Report((i + 1.0) / bracket.Count);
        }
        return new AlignmentResult(shifts, new Bracket(frames, bracket.ExposureSeconds, bracket.ReferenceIndex));
    }

    /// <summary>The shift that aligns <paramref name="moving"/> to <paramref name="reference"/> (same size, RGB or grey).</summary>
    public (int Dx, int Dy) CalculateShift(FloatImage reference, FloatImage moving)
    {
        if (!reference.SameSize(moving))
            throw new ArgumentException($"images differ in size: {reference.Width}x{reference.Height} vs {moving.Width}x{moving.Height}", nameof(moving));
        return Search(Pyramid(reference), Pyramid(moving));
    }

    /// <summary>
    /// The objective the search minimises, at full resolution: the fraction of the overlap where the two median
    /// threshold bitmaps disagree (noise band excluded) when <paramref name="moving"/> is shifted by (dx, dy).
    /// Lets callers compare shifts, e.g. from another tool.
    /// </summary>
    public double MismatchFraction(FloatImage reference, FloatImage moving, int dx, int dy)
    {
        if (!reference.SameSize(moving))
            throw new ArgumentException($"images differ in size: {reference.Width}x{reference.Height} vs {moving.Width}x{moving.Height}", nameof(moving));
        var (tb1, eb1) = Bitmaps(Pyramid(reference, 1)[0]);
        var (tb2, eb2) = Bitmaps(Pyramid(moving, 1)[0]);
        return Mismatch(tb1, eb1, tb2, eb2, reference.Width, reference.Height, dx, dy);
    }

    /// <summary>A copy of <paramref name="image"/> translated by (dx, dy), zero where nothing lands.</summary>
    public static FloatImage Shift(FloatImage image, int dx, int dy)
    {
        var result = new FloatImage(image.Width, image.Height, image.Channels);
        int w = image.Width, h = image.Height;
        int x0 = Math.Max(0, dx), x1 = Math.Min(w, w + dx);
        if (x1 <= x0) return result;
        Parallel.For(0, image.Channels * h, job =>
        {
            int c = job / h, y = job % h, sy = y - dy;
            if (sy < 0 || sy >= h) return;
            image.Row(c, sy)[(x0 - dx)..(x1 - dx)].CopyTo(result.Row(c, y)[x0..x1]);
        });
        return result;
    }

    private sealed record Level(byte[] Grey, int Width, int Height);

    /// <summary>Smallest side a pyramid level needs for its bitmaps to decide a shift.</summary>
    private const int MinDecisionSide = 16;

    /// <summary>
    /// Search radius around twice the coarser level's shift. Ward uses ±1; ±2 costs 25 instead of 9 bitmap
    /// comparisons and lets a finer level undo a one-pixel error of the coarser one (seen on brackets with large
    /// moving subjects, where the coarse optimum is shallow).
    /// </summary>
    private const int RefineRadius = 2;

    /// <summary>Coarse-level hypotheses carried down the pyramid; scenes with large movers have several basins.</summary>
    private const int Hypotheses = 3;

    private (int, int) Search(Level[] reference, Level[] moving)
    {
        // Ward's search refines ±1 pixel per level from the top of the pyramid, but a level of a few pixels has
        // too little structure: shifts tie or are decided by noise, and a wrong step there is doubled at every
        // finer level and never undone. So the decision starts at the coarsest level of at least
        // MinDecisionSide pixels, searched exhaustively over the range the full pyramid would have covered, and
        // the best few local minima there (e.g. background vs a large moving subject) are each refined to full
        // resolution, where the lowest mismatch wins.
        int top = reference.Length - 1;
        while (top > 0 && Math.Min(reference[top].Width, reference[top].Height) < MinDecisionSide) top--;
        int radius = (int)Math.Ceiling(((1 << Levels) - 1) / (double)(1 << top));
        var coarse = Ranked(reference[top], moving[top], 0, 0, radius);
        var starts = new List<(int X, int Y)>();
        foreach (var (x, y, _) in coarse)
        {
            if (starts.Count == Hypotheses) break;
            if (starts.All(p => Math.Max(Math.Abs(p.X - x), Math.Abs(p.Y - y)) > 1)) starts.Add((x, y));
        }
        var best = (X: 0, Y: 0, Err: double.MaxValue);
        foreach (var start in starts)
        {
            var (dx, dy, err) = (start.X, start.Y, 0.0);
            for (int l = top - 1; l >= 0; l--)
                (dx, dy, err) = Ranked(reference[l], moving[l], 2 * dx, 2 * dy, RefineRadius)[0];
            if (top == 0) err = coarse.First(c => c.X == dx && c.Y == dy).Err;
            if (err < best.Err) best = (dx, dy, err);
        }
        return (best.X, best.Y);
    }

    // Every shift within ±radius of (cx, cy), lowest mismatch first; equal errors keep the smaller move first,
    // so ties never walk away from the current estimate.
    private List<(int X, int Y, double Err)> Ranked(Level reference, Level moving, int cx, int cy, int radius)
    {
        var (tb1, eb1) = Bitmaps(reference);
        var (tb2, eb2) = Bitmaps(moving);
        int w = reference.Width, h = reference.Height;
        var result = new List<(int X, int Y, double Err, int Dist)>();
        for (int j = -radius; j <= radius; j++)
            for (int i = -radius; i <= radius; i++)
                result.Add((cx + i, cy + j, Mismatch(tb1, eb1, tb2, eb2, w, h, cx + i, cy + j), i * i + j * j));
        return result.OrderBy(r => r.Err).ThenBy(r => r.Dist).Select(r => (r.X, r.Y, r.Err)).ToList();
    }

    // Fraction of the overlap whose threshold bits differ, over pixels outside the noise band in both bitmaps.
    // A raw count would reward shifts that shrink the overlap: on the few-pixel coarse levels that bias alone
    // walks the search off by one at every level (−(2^L − 1) in total), so the count is divided by the overlap.
    private static double Mismatch(byte[] tb1, byte[] eb1, byte[] tb2, byte[] eb2, int w, int h, int dx, int dy)
    {
        int y0 = Math.Max(0, dy), y1 = Math.Min(h, h + dy);
        int x0 = Math.Max(0, dx), x1 = Math.Min(w, w + dx);
        if (y1 <= y0 || x1 <= x0) return double.MaxValue;
        long total = 0;
        Parallel.For(y0, y1, () => 0L, (y, _, acc) =>
        {
            int r1 = y * w, r2 = (y - dy) * w - dx;
            for (int x = x0; x < x1; x++)
                acc += (tb1[r1 + x] ^ tb2[r2 + x]) & eb1[r1 + x] & eb2[r2 + x];
            return acc;
        }, acc => Interlocked.Add(ref total, acc));
        return total / (double)((long)(y1 - y0) * (x1 - x0));
    }

    private (byte[] Threshold, byte[] Exclusion) Bitmaps(Level level)
    {
        var g = level.Grey;
        int median = Median(g);
        var tb = new byte[g.Length];
        var eb = new byte[g.Length];
        for (int i = 0; i < g.Length; i++)
        {
            tb[i] = (byte)(g[i] > median ? 1 : 0);
            eb[i] = (byte)(Math.Abs(g[i] - median) > ExcludeRange ? 1 : 0);
        }
        return (tb, eb);
    }

    private static int Median(byte[] grey)
    {
        Span<int> hist = stackalloc int[256];
        foreach (var v in grey) hist[v]++;
        int half = grey.Length / 2, sum = 0, m = 0;
        while (m < 255 && sum + hist[m] <= half) sum += hist[m++];
        return m;
    }

    // 8-bit grey (Rec. 601 luma, as OpenCV's AlignMTB) and its pyramid, rounded to whole grey levels per level
    // so the median and the ±4 exclusion band mean the same at every scale.
    private Level[] Pyramid(FloatImage image) => Pyramid(image, Levels);

    private static Level[] Pyramid(FloatImage image, int levelCount)
    {
        int w = image.Width, h = image.Height, n = w * h;
        var grey = new float[n];
        if (image.Channels >= 3)
        {
            var r = image.Plane(0); var gr = image.Plane(1); var b = image.Plane(2);
            for (int i = 0; i < n; i++) grey[i] = MathF.Round(255f * Math.Clamp(0.299f * r[i] + 0.587f * gr[i] + 0.114f * b[i], 0f, 1f));
        }
        else
        {
            var p = image.Plane(0);
            for (int i = 0; i < n; i++) grey[i] = MathF.Round(255f * Math.Clamp(p[i], 0f, 1f));
        }
        var levels = new List<Level> { new(ToBytes(grey), w, h) };
        while (levels.Count < levelCount && w > 1 && h > 1)
        {
            grey = GaussianPyramid.Down(grey, w, h, out w, out h);
            for (int i = 0; i < grey.Length; i++) grey[i] = MathF.Round(grey[i]);
            levels.Add(new Level(ToBytes(grey), w, h));
        }
        return levels.ToArray();
    }

    private static byte[] ToBytes(float[] v)
    {
        var b = new byte[v.Length];
        for (int i = 0; i < v.Length; i++) b[i] = (byte)Math.Clamp(v[i], 0f, 255f);
        return b;
    }
}
