using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// The geometry of a simulated scene across its exposures: a background view seen through per-frame camera
/// shake, and foreground objects on top in order. Renders linear radiance per frame and answers, per pixel,
/// whether a frame's geometry differs from the reference's (the motion mask).
/// </summary>
public sealed class SceneComposition
{
    private readonly Affine2D[] _frameToReference;

    public int Width { get; }
    public int Height { get; }
    public int ReferenceIndex { get; }
    public PanoramaView Background { get; }
    /// <summary>Per frame: reference pixel coordinates → this frame's pixel coordinates (identity for the reference).</summary>
    public IReadOnlyList<Affine2D> Shake { get; }
    /// <summary>Back to front.</summary>
    public IReadOnlyList<ForegroundObject> Objects { get; }

    public SceneComposition(int width, int height, int referenceIndex, PanoramaView background,
        IReadOnlyList<Affine2D> shake, IReadOnlyList<ForegroundObject> objects)
    {
        if (referenceIndex < 0 || referenceIndex >= shake.Count) throw new ArgumentException("reference index outside the frames");
        if (objects.Any(o => o.Placement.Count != shake.Count)) throw new ArgumentException("every object needs one placement per frame");
        Width = width; Height = height; ReferenceIndex = referenceIndex;
        Background = background; Shake = shake; Objects = objects;
        _frameToReference = shake.Select(s => s.Inverse()).ToArray();
    }

    public int FrameCount => Shake.Count;

    /// <summary>Linear radiance of frame <paramref name="frame"/> as the scene's maps store it (no camera applied).</summary>
    public FloatImage Render(int frame)
    {
        var img = new FloatImage(Width, Height, 3);
        int n = Width * Height;
        Parallel.For(0, Height, y =>
        {
            Span<float> bg = stackalloc float[3];
            Span<float> fg = stackalloc float[3];
            for (int x = 0; x < Width; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                var (bx, by) = _frameToReference[frame].Apply(px, py);
                Background.Sample(bx, by, bg);
                foreach (var o in Objects)
                {
                    float a = o.Alpha(frame, px, py);
                    if (a <= 0f) continue;
                    var (ox, oy) = o.ToObject(frame, px, py);
                    o.Texture.Sample(ox, oy, fg);
                    for (int c = 0; c < 3; c++) bg[c] += a * (fg[c] - bg[c]);
                }
                int i = y * Width + x;
                for (int c = 0; c < 3; c++) img.Data[c * n + i] = bg[c];
            }
        });
        return img;
    }

    /// <summary>
    /// 1 where some frame's content does not line up with the reference: an object's coverage changed
    /// (occlusion, disocclusion), an object visible in both moved by more than <paramref name="thresholdPixels"/>,
    /// or the visible background moved by more than that (camera shake).
    /// </summary>
    public LabelImage MotionMask(double thresholdPixels)
    {
        const float coverageTolerance = 0.02f;
        var mask = new LabelImage(Width, Height);
        double thr2 = thresholdPixels * thresholdPixels;
        Parallel.For(0, Height, y =>
        {
            for (int x = 0; x < Width; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                bool moved = false;
                for (int f = 0; f < FrameCount && !moved; f++)
                {
                    if (f == ReferenceIndex) continue;
                    float visibleBg = 1f, visibleBgRef = 1f;
                    foreach (var o in Objects)
                    {
                        float a = o.Alpha(f, px, py), aRef = o.Alpha(ReferenceIndex, px, py);
                        if (Math.Abs(a - aRef) > coverageTolerance) { moved = true; break; }
                        if (a > coverageTolerance && aRef > coverageTolerance && Dist2(o.ToObject(f, px, py), o.ToObject(ReferenceIndex, px, py)) > thr2)
                        { moved = true; break; }
                        visibleBg *= 1 - a; visibleBgRef *= 1 - aRef;
                    }
                    if (moved) break;
                    if ((visibleBg > coverageTolerance || visibleBgRef > coverageTolerance)
                        && Dist2(_frameToReference[f].Apply(px, py), (px, py)) > thr2)
                        moved = true;
                }
                if (moved) mask[y, x] = 1;
            }
        });
        return mask;
    }

    /// <summary>Coverage of each object in the reference frame, one plane per object (for the segment map).</summary>
    public float[][] ReferenceCoverage()
    {
        var planes = Objects.Select(_ => new float[Width * Height]).ToArray();
        Parallel.For(0, Height, y =>
        {
            for (int x = 0; x < Width; x++)
                for (int k = 0; k < Objects.Count; k++)
                    planes[k][y * Width + x] = Objects[k].Alpha(ReferenceIndex, x + 0.5, y + 0.5);
        });
        return planes;
    }

    private static double Dist2((double X, double Y) a, (double X, double Y) b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y;
        return dx * dx + dy * dy;
    }
}
