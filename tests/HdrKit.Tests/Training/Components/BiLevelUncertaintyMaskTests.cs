using HdrKit.Training.Components;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Components;

public class BiLevelUncertaintyMaskTests
{
    // 128×128, four 64×64 patches: TL 0 with one pixel at 0.45; TR all 1; BL 0.3 with a 4×4 block at 1;
    // BR all 0.5. Normalised (min 0, max 1) it is unchanged.
    private static Tensor Map()
    {
        var u = zeros(1, 1, 128, 128);
        u[0, 0, 10, 20] = tensor(0.45f);
        u[0, 0, ..64, 64..] = tensor(1f);
        u[0, 0, 64.., ..64] = tensor(0.3f);
        u[0, 0, 100..104, 30..34] = tensor(1f);
        u[0, 0, 64.., 64..] = tensor(0.5f);
        return u;
    }

    private static Tensor ExpectedPatchKeep()
    {
        var m = ones(1, 1, 128, 128);
        m[0, 0, ..64, 64..] = tensor(0f); // mean 1
        m[0, 0, 64.., 64..] = tensor(0f); // mean 0.5 > 0.4
        return m;                         // TL mean ~0, BL mean 0.3027: kept
    }

    private static Tensor ExpectedPixelKeep()
    {
        var m = ones(1, 1, 128, 128);
        m[0, 0, 10, 20] = tensor(0f);
        m[0, 0, ..64, 64..] = tensor(0f);
        m[0, 0, 100..104, 30..34] = tensor(0f);
        m[0, 0, 64.., 64..] = tensor(0f);
        return m;
    }

    [Fact]
    public void Patch_and_pixel_masks_of_a_constructed_map_are_exact()
    {
        using var u = Map();
        using var mask = BiLevelUncertaintyMask.Compute(u);
        using var patch = ExpectedPatchKeep();
        using var pixel = ExpectedPixelKeep();
        TensorAssert.Exact(patch, mask.PatchKeep, "patch level");
        TensorAssert.Exact(pixel, mask.PixelKeep, "pixel level");
        using var keep = patch * pixel;
        TensorAssert.Exact(keep, mask.Keep, "combined");
        // Kept: TL minus one pixel, BL minus the 4×4 block.
        Assert.Equal(2 * 64 * 64 - 1 - 16, (int)mask.Keep.sum().item<float>());
    }

    [Fact]
    public void Masks_depend_on_the_normalised_map_only()
    {
        using var u = Map();
        using var scaled = u * 3 + 2;
        using var a = BiLevelUncertaintyMask.Compute(u);
        using var b = BiLevelUncertaintyMask.Compute(scaled);
        TensorAssert.Exact(a.Keep, b.Keep, "affine rescaled map");
        using var constant = full(new long[] { 1, 1, 64, 64 }, 0.7f);
        using var c = BiLevelUncertaintyMask.Compute(constant);
        Assert.Equal(64 * 64, (int)c.Keep.sum().item<float>());
    }

    [Fact]
    public void Edge_patches_are_averaged_over_their_own_pixels_and_images_are_normalised_separately()
    {
        // 96×80 with 64-pixel patches: the right column is 16 wide, the bottom row 32 high.
        using var u = zeros(2, 1, 96, 80);
        u[0, 0, ..64, 64..72] = tensor(1f);  // half of the 64×16 edge patch: mean 0.5 (0.125 if padding counted)
        u[0, 0, 64.., ..] = tensor(0.2f);
        u[1] = u[0] * 5;                     // same after its own normalisation
        using var mask = BiLevelUncertaintyMask.Compute(u, new BiLevelMaskOptions(PatchSize: 64));
        using var expected = ones(1, 96, 80);
        expected[0, ..64, 64..] = tensor(0f);
        TensorAssert.Exact(expected, mask.PatchKeep[0], "edge patch dropped");
        TensorAssert.Exact(mask.PatchKeep[0], mask.PatchKeep[1], "per-image normalisation");
        Assert.Equal(0.2f, mask.Normalised[1, 0, 90, 5].item<float>(), 6);
    }
}
