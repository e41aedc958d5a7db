using HdrKit.Training.Components;
using HdrKit.Util;
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
        using var scaled = u * Scalars.Of(3) + Scalars.Of(2);
        using var a = BiLevelUncertaintyMask.Compute(u);
        using var b = BiLevelUncertaintyMask.Compute(scaled);
        TensorAssert.Exact(a.Keep, b.Keep, "affine rescaled map");
        using var constant = full(new long[] { 1, 1, 64, 64 }, Scalars.Of(0.7f));
        using var c = BiLevelUncertaintyMask.Compute(constant);
        Assert.Equal(64 * 64, (int)c.Keep.sum().item<float>());
    }

    [Fact]
    public void Edge_patches_are_averaged_over_their_own_pixels_and_image_min_max_normalises_images_separately()
    {
        // 96×80 with 64-pixel patches: the right column is 16 wide, the bottom row 32 high.
        using var u = zeros(2, 1, 96, 80);
        u[0, 0, ..64, 64..72] = tensor(1f);  // half of the 64×16 edge patch: mean 0.5 (0.125 if padding counted)
        u[0, 0, 64.., ..] = tensor(0.2f);
        u[1] = u[0] * Scalars.Of(5);                     // same after its own normalisation
        using var mask = BiLevelUncertaintyMask.Compute(u, new BiLevelMaskOptions(PatchSize: 64, Normalisation: UncertaintyNormalisation.ImageMinMax, Border: 0));
        using var expected = ones(1, 96, 80);
        expected[0, ..64, 64..] = tensor(0f);
        TensorAssert.Exact(expected, mask.PatchKeep[0], "edge patch dropped");
        TensorAssert.Exact(mask.PatchKeep[0], mask.PatchKeep[1], "per-image normalisation");
        Assert.Equal(0.2f, mask.Normalised[1, 0, 90, 5].item<float>(), 6);
    }

    // 64×64, 32-pixel patches, 4-pixel border: the border ring (960 px) at 10, the interior (56×56) at 0.1 but
    // a 16×16 block at 0.5 in the top-left patch, one pixel at 0.3 (bottom right) and one at 0.2 (bottom left).
    // Interior quantiles: 1 % = 0.1, 99 % = 0.5 (the block is 8 % of the interior), so σ normalises as
    // (σ − 0.1) / 0.4, clamped: block and border 1, the 0.3 pixel 0.5, the 0.2 pixel 0.25.
    private static Tensor HotBorderMap()
    {
        var u = full(1, 1, 64, 64, Scalars.Of(10f));
        u[0, 0, 4..60, 4..60] = tensor(0.1f);
        u[0, 0, 8..24, 8..24] = tensor(0.5f);
        u[0, 0, 40, 40] = tensor(0.3f);
        u[0, 0, 40, 10] = tensor(0.2f);
        return u;
    }

    private static readonly BiLevelMaskOptions Small = new(PatchSize: 32, Border: 4);

    [Fact]
    public void Global_quantiles_outside_the_border_mask_the_uncertain_block_a_hot_border_would_hide()
    {
        using var u = HotBorderMap();
        var range = BiLevelUncertaintyMask.Range([u], Small);
        Assert.Equal(0.1, range.Low, 6);
        Assert.Equal(0.5, range.High, 6);
        using var mask = BiLevelUncertaintyMask.Compute(u, Small, range);

        // Top-left patch: 240 border + 256 block pixels at 1 of 1024, mean 0.48 > 0.4; the others 240/1024 + ε.
        using var patch = ones(1, 1, 64, 64);
        patch[0, 0, ..32, ..32] = tensor(0f);
        using var pixel = zeros(1, 1, 64, 64);
        pixel[0, 0, 4..60, 4..60] = tensor(1f);
        pixel[0, 0, 8..24, 8..24] = tensor(0f);
        pixel[0, 0, 40, 40] = tensor(0f); // 0.5 > 0.4; the 0.2 pixel (0.25) stays
        TensorAssert.Exact(patch, mask.PatchKeep, "patch level");
        TensorAssert.Exact(pixel, mask.PixelKeep, "pixel level");
        using var keep = patch * pixel;
        TensorAssert.Exact(keep, mask.Keep, "combined");
        Assert.Equal(0.25f, mask.Normalised[0, 0, 40, 10].item<float>(), 5);

        // Without a given range the batch's own is taken: the same masks.
        using var own = BiLevelUncertaintyMask.Compute(u, Small);
        TensorAssert.Exact(mask.Keep, own.Keep, "range from the batch");

        // The first rule, each image by its own min and max with the border counted: 10 sets the scale and only
        // the border goes (the block normalises to 0.04).
        using var minMax = BiLevelUncertaintyMask.Compute(u, Small with { Normalisation = UncertaintyNormalisation.ImageMinMax, Border = 0 });
        using var ring = zeros(1, 1, 64, 64);
        ring[0, 0, 4..60, 4..60] = tensor(1f);
        TensorAssert.Exact(ring, minMax.Keep, "image min–max keeps the block");
        using var allPatches = ones(1, 1, 64, 64);
        TensorAssert.Exact(allPatches, minMax.PatchKeep, "image min–max drops no patch");
    }

    [Fact]
    public void One_global_range_keeps_a_calm_scene_whole_where_its_own_min_max_would_cut_it()
    {
        // A calm scene (0.1 with a faint 0.12 square) and an uncertain one (0.1 with a 0.9 square), no border.
        using var calm = full(1, 1, 32, 32, Scalars.Of(0.1f));
        calm[0, 0, 8..16, 8..16] = tensor(0.12f);
        using var busy = full(1, 1, 48, 40, Scalars.Of(0.1f));
        busy[0, 0, 0..24, 0..24] = tensor(0.9f);
        var options = new BiLevelMaskOptions(PatchSize: 8, Border: 0, LowQuantile: 0, HighQuantile: 1);
        var range = BiLevelUncertaintyMask.Range([calm, busy], options);
        Assert.Equal(0.1, range.Low, 6);
        Assert.Equal(0.9, range.High, 6);

        using var calmMask = BiLevelUncertaintyMask.Compute(calm, options, range);
        Assert.Equal(32 * 32, (int)calmMask.Keep.sum().item<float>()); // 0.12 normalises to 0.025
        using var busyMask = BiLevelUncertaintyMask.Compute(busy, options, range);
        using var busyKeep = ones(1, 1, 48, 40);
        busyKeep[0, 0, 0..24, 0..24] = tensor(0f);
        TensorAssert.Exact(busyKeep, busyMask.Keep, "uncertain square dropped");

        using var own = BiLevelUncertaintyMask.Compute(calm, options with { Normalisation = UncertaintyNormalisation.ImageMinMax });
        Assert.Equal(32 * 32 - 64, (int)own.Keep.sum().item<float>()); // its own max makes the faint square 1
    }

    [Theory]
    [InlineData(0.5, 0.5, 0)]
    [InlineData(-0.1, 0.9, 0)]
    [InlineData(0.01, 0.99, -1)]
    public void Invalid_quantiles_or_border_fail(double low, double high, int border)
    {
        using var u = zeros(1, 1, 8, 8);
        Assert.Throws<ArgumentException>(() => BiLevelUncertaintyMask.Compute(u, new BiLevelMaskOptions(LowQuantile: low, HighQuantile: high, Border: border)).Dispose());
    }
}
