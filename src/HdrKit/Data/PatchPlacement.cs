using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Data;

/// <summary>
/// Where one training sample's patch came from: the scene, the crop box in scene pixels and the augmentation drawn
/// for it. <see cref="Apply"/> cuts and transforms any full-scene tensor exactly as the loader cut the patch, so
/// per-scene state (per-segment weights, pseudo labels, cached priors) lines up pixel for pixel with the batch.
/// </summary>
public sealed record PatchPlacement(string SceneId, int X, int Y, int Size, PatchTransform Transform, IReadOnlyList<double> Stops, bool Labelled)
{
    /// <summary>
    /// Patch pixel → index into the Size×Size crop, row-major: output (x, y) reads crop pixel Transform.Source(x, y).
    /// The loader gathers through the same map, which is what makes <see cref="Apply"/> exact.
    /// </summary>
    public int[] SourceIndices()
    {
        var map = new int[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                var (sx, sy) = Transform.Source(x, y, Size);
                map[y * Size + x] = sy * Size + sx;
            }
        return map;
    }

    /// <summary>
    /// The patch of a full-scene tensor [..., C, H, W] (or [..., H, W] when <paramref name="colour"/> is false):
    /// crop, then the rotation/flips. With <paramref name="colour"/> the channel permutation is applied too, to each
    /// RGB triplet of dimension −3 (C must be a multiple of 3: an HDR image, or packed [N, 6] inputs), as it was to
    /// the batch's inputs and target; label maps and weights take <paramref name="colour"/> = false.
    /// </summary>
    public Tensor Apply(Tensor scene, bool colour = false)
    {
        using var d = torch.NewDisposeScope();
        long h = scene.shape[^2], w = scene.shape[^1];
        if (Y + Size > h || X + Size > w) throw new ArgumentException($"crop {X},{Y}+{Size} lies outside the {w}x{h} tensor");
        var crop = scene.narrow(-2, Y, Size).narrow(-1, X, Size);
        var lead = crop.shape[..^2];
        var index = torch.tensor(SourceIndices(), ScalarType.Int64, scene.device);
        var patch = crop.reshape([.. lead, (long)Size * Size]).index_select(-1, index).reshape([.. lead, Size, Size]);
        if (colour && !Transform.IsColourIdentity)
        {
            if (patch.dim() < 3 || patch.shape[^3] % 3 != 0)
                throw new ArgumentException($"a colour permutation needs RGB triplets in dimension −3, got shape [{string.Join(", ", patch.shape)}]");
            long c = patch.shape[^3];
            var order = new long[c];
            for (long i = 0; i < c; i++) order[i] = i / 3 * 3 + Transform.ChannelOrder[i % 3];
            patch = patch.index_select(-3, torch.tensor(order, ScalarType.Int64, scene.device));
        }
        return patch.contiguous().MoveToOuterDisposeScope();
    }
}
