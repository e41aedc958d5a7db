using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// How SMNet splits its C channels into one slice per exposure, for any n from 1 to C. When n divides C
/// every slice has C/n channels and the folding is the reference's (view as n groups of C/n, mean over
/// the groups). Otherwise the slice widths are ⌊C/n⌋ or ⌈C/n⌉, the wider ones nearest the anchor (middle)
/// exposure because the anchor's slice is the cross-attention query, and slice channel j of width w is
/// the mean of the exposure's channels c with c mod w = j: the same rule, with groups of unequal size.
/// </summary>
public sealed class ExposureSlices
{
    public int Channels { get; }
    public int Exposures { get; }
    public IReadOnlyList<int> Widths { get; }
    public IReadOnlyList<int> Offsets { get; }
    /// <summary>Index of the anchor exposure (the middle one, n/2 as in the reference).</summary>
    public int Anchor => Exposures / 2;
    public bool Uniform => Channels % Exposures == 0;

    private ExposureSlices(int channels, int exposures, int[] widths)
    {
        Channels = channels;
        Exposures = exposures;
        Widths = widths;
        var offsets = new int[exposures];
        for (int i = 1; i < exposures; i++) offsets[i] = offsets[i - 1] + widths[i - 1];
        Offsets = offsets;
    }

    public static bool Supports(int channels, int exposures) => exposures >= 1 && exposures <= channels;

    public static ExposureSlices For(int channels, int exposures)
    {
        if (!Supports(channels, exposures))
            throw new ArgumentException($"{channels} channels take 1..{channels} exposures, got {exposures}");
        int narrow = channels / exposures, extra = channels % exposures, anchor = exposures / 2;
        var widths = Enumerable.Repeat(narrow, exposures).ToArray();
        foreach (int i in Enumerable.Range(0, exposures).OrderBy(i => Math.Abs(i - anchor)).ThenBy(i => i).Take(extra))
            widths[i]++;
        return new ExposureSlices(channels, exposures, widths);
    }

    /// <summary>[B, n, C, H, W] per-exposure features → [B, C, H, W], the n slices concatenated.</summary>
    public Tensor Fuse(Tensor perExposure)
    {
        using var scope = NewDisposeScope();
        long b = perExposure.shape[0], h = perExposure.shape[3], w = perExposure.shape[4];
        if (Uniform)
            return perExposure.view(b, Exposures, Exposures, Channels / Exposures, h, w).mean([2]).view(b, Channels, h, w).MoveToOuterDisposeScope();
        var slices = new Tensor[Exposures];
        for (int i = 0; i < Exposures; i++)
            slices[i] = FoldMean(perExposure.select(1, i), Widths[i]);
        return cat(slices, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Folds the input columns of a [out, C] 1×1 weight onto the anchor's slice: q(tile(anchor)) equals
    /// anchor·fold(W), where tile repeats the slice to C channels (truncating the last copy).
    /// </summary>
    public Tensor FoldQueryWeight(Tensor weight)
    {
        using var scope = NewDisposeScope();
        int width = Widths[Anchor], copies = (Channels + width - 1) / width;
        var padded = Pad(weight, 1, copies * width);
        return padded.view(weight.shape[0], copies, width).sum(1).MoveToOuterDisposeScope();
    }

    // Mean of channels c ≡ j (mod width) of [B, C, H, W]: zero-pad C to a multiple of width, sum, divide by counts.
    private Tensor FoldMean(Tensor x, int width)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        int copies = (Channels + width - 1) / width, full = Channels - (copies - 1) * width;
        var counts = torch.tensor(Enumerable.Range(0, width).Select(j => (float)(j < full ? copies : copies - 1)).ToArray(),
            dtype: x.dtype, device: x.device).view(1, width, 1, 1);
        var summed = Pad(x, 1, copies * width).view(b, copies, width, h, w).sum(1);
        return (summed / counts).MoveToOuterDisposeScope();
    }

    private static Tensor Pad(Tensor x, int dim, long size)
    {
        long missing = size - x.shape[dim];
        if (missing == 0) return x.alias();
        var shape = x.shape.ToArray();
        shape[dim] = missing;
        return cat([x, zeros(shape, dtype: x.dtype, device: x.device)], dim);
    }
}
