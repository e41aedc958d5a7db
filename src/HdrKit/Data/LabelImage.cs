namespace HdrKit.Data;

/// <summary>
/// A single-channel integer image: segment ids (0 = small/unassigned segments, as SMHDR's maps) or a binary
/// mask (0/1). 16-bit because scenes with many segments exceed 255 ids.
/// </summary>
public sealed class LabelImage
{
    public int Width { get; }
    public int Height { get; }
    public ushort[] Labels { get; }

    public LabelImage(int width, int height, ushort[]? labels = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"label image size must be positive, got {width}x{height}");
        if (labels != null && labels.Length != width * height)
            throw new ArgumentException($"label image has {labels.Length} values, expected {width * height}");
        Width = width; Height = height;
        Labels = labels ?? new ushort[width * height];
    }

    public ushort this[int y, int x]
    {
        get => Labels[y * Width + x];
        set => Labels[y * Width + x] = value;
    }

    public int Count(ushort label) => Labels.Count(v => v == label);

    public int DistinctCount => Labels.Distinct().Count();
}
