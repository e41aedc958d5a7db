namespace HdrKit.Data;

/// <summary>
/// A moving object pasted over the background: a blob-shaped piece of another radiance map, placed in every
/// frame by its own affine map (object coordinates → frame pixels) that already includes the camera shake.
/// </summary>
public sealed class ForegroundObject
{
    private readonly Affine2D[] _frameToObject;

    public BlobShape Shape { get; }
    public PanoramaView Texture { get; }
    public IReadOnlyList<Affine2D> Placement { get; }
    public bool Moves { get; }

    public ForegroundObject(BlobShape shape, PanoramaView texture, IReadOnlyList<Affine2D> placement, bool moves)
    {
        Shape = shape; Texture = texture; Placement = placement; Moves = moves;
        _frameToObject = placement.Select(p => p.Inverse()).ToArray();
    }

    /// <summary>Object coordinates of frame pixel position (x, y) in frame <paramref name="frame"/>.</summary>
    public (double X, double Y) ToObject(int frame, double x, double y) => _frameToObject[frame].Apply(x, y);

    public float Alpha(int frame, double x, double y)
    {
        var (ox, oy) = ToObject(frame, x, y);
        double e = Shape.Extent;
        return Math.Abs(ox) > e || Math.Abs(oy) > e ? 0f : Shape.Alpha(ox, oy);
    }
}
