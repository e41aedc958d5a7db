namespace HdrKit.Metrics;

/// <summary>A pixel rectangle [X0, X1) × [Y0, Y1) of a full-size image.</summary>
public sealed record ProbeBox(int X0, int X1, int Y0, int Y1)
{
    public int Width => X1 - X0;
    public int Height => Y1 - Y0;

    public void Check(int imageWidth, int imageHeight)
    {
        if (X0 < 0 || Y0 < 0 || X1 > imageWidth || Y1 > imageHeight || Width < 16 || Height < 16)
            throw new ArgumentException($"probe box x {X0}–{X1}, y {Y0}–{Y1} must lie inside the {imageWidth}x{imageHeight} image and be at least 16x16");
    }

    public override string ToString() => $"x {X0}–{X1}, y {Y0}–{Y1}";
}
