namespace HdrKit.Data;

/// <summary>
/// A 2-D affine map p ↦ A·p + t in pixel coordinates. The simulator describes every geometric relation with it
/// (camera shake, object placement, crops of the radiance maps) so that inverse mapping for rendering and the
/// per-pixel motion comparison use one representation.
/// </summary>
public readonly record struct Affine2D(double A, double B, double C, double D, double Tx, double Ty)
{
    public static Affine2D Identity => new(1, 0, 0, 1, 0, 0);

    public static Affine2D Translation(double tx, double ty) => new(1, 0, 0, 1, tx, ty);

    /// <summary>Rotation by <paramref name="radians"/> and uniform scale about the origin.</summary>
    public static Affine2D RotationScale(double radians, double scale)
    {
        double c = Math.Cos(radians) * scale, s = Math.Sin(radians) * scale;
        return new(c, -s, s, c, 0, 0);
    }

    /// <summary>Rotation and scale about <paramref name="cx"/>, <paramref name="cy"/>, then a translation.</summary>
    public static Affine2D About(double cx, double cy, double radians, double scale, double tx = 0, double ty = 0) =>
        Translation(cx + tx, cy + ty) * RotationScale(radians, scale) * Translation(-cx, -cy);

    public (double X, double Y) Apply(double x, double y) => (A * x + B * y + Tx, C * x + D * y + Ty);

    /// <summary>Composition: (f * g)(p) = f(g(p)).</summary>
    public static Affine2D operator *(Affine2D f, Affine2D g) => new(
        f.A * g.A + f.B * g.C, f.A * g.B + f.B * g.D,
        f.C * g.A + f.D * g.C, f.C * g.B + f.D * g.D,
        f.A * g.Tx + f.B * g.Ty + f.Tx, f.C * g.Tx + f.D * g.Ty + f.Ty);

    public double Determinant => A * D - B * C;

    public Affine2D Inverse()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("affine map is singular");
        double ia = D / det, ib = -B / det, ic = -C / det, id = A / det;
        return new(ia, ib, ic, id, -(ia * Tx + ib * Ty), -(ic * Tx + id * Ty));
    }
}
