using HdrKit.Models;
using HdrKit.Models.SafNet;
using HdrKit.Models.Blocks;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>The exposure-consistency gate: histogram-derived intensity mapping, discrepancy, gate, and SAFNet's use of it.</summary>
public class ExposureConsistencyTests
{
    /// <summary>An S-shaped camera-to-camera mapping, nothing like γ 2.2 scaling.</summary>
    private static Tensor Curve(Tensor ldr) => (ldr.pow(Scalars.Of(1.3)) * Scalars.Of(0.7) + ldr.pow(Scalars.Of(4)) * Scalars.Of(0.3)).clamp(Scalars.Of(0), Scalars.Of(1));

    /// <summary>8-bit codes: a smooth gradient plus texture, [1, 3, size, size].</summary>
    private static Tensor Reference(int size = 64)
    {
        var ramp = linspace(0.02, 0.98, size).view(1, 1, 1, size).expand(1, 3, size, size);
        var texture = Scalars.Of(0.02) * (arange(Scalars.Of(size * size * 3), dtype: ScalarType.Float32).view(1, 3, size, size) * Scalars.Of(0.37)).sin();
        return ((ramp + texture).clamp(Scalars.Of(0), Scalars.Of(1)) * Scalars.Of(255)).round() / Scalars.Of(255);
    }

    [Fact]
    public void The_mapping_from_histograms_brackets_the_true_curve_without_knowing_it()
    {
        using var scope = NewDisposeScope();
        var reference = Reference(128);
        // The other exposure is shifted (circularly, so that it holds the same pixels): no pixel corresponds to its
        // reference pixel, and the mapping must still be exact.
        var other = Curve(reference).roll([38, 72], [2, 3]);
        var (low, high) = ExposureConsistency.EstimateMappings(reference, other)[0];

        var levels = arange(Scalars.Of(ExposureConsistency.Levels), dtype: ScalarType.Float32) / Scalars.Of(ExposureConsistency.Levels - 1);
        var truth = Curve(levels);
        var present = (reference[0, 0].flatten() * Scalars.Of(255)).round().to(ScalarType.Int64).bincount(null, ExposureConsistency.Levels) > Scalars.Of(0);
        var inside = (low[0, 0] <= truth + Scalars.Of(1e-6)) & (truth <= high[0, 0] + Scalars.Of(1e-6));
        Assert.True(inside[present].all().item<bool>(), "every occurring level's range contains the curve");
        // No wider than the curve's own change over the ±6 levels a reference code is trusted to (plus rounding).
        double spread = (ExposureConsistency.CodeUncertainty + 0.5) / 255;
        var allowed = Curve((levels + Scalars.Of(spread)).clamp(Scalars.Of(0), Scalars.Of(1))) - Curve((levels - Scalars.Of(spread)).clamp(Scalars.Of(0), Scalars.Of(1))) + Scalars.Of(2.0 / 255);
        Assert.True(((high[0, 0] - low[0, 0]) <= allowed)[present].all().item<bool>(), "ranges stay as narrow as the curve allows");
    }

    [Fact]
    public void A_bright_patch_over_a_dark_reference_region_is_rejected_and_the_rest_passes()
    {
        using var scope = NewDisposeScope();
        var reference = Reference();
        var aligned = Curve(reference).clone();
        aligned[.., .., 30..42, 14..26] = 1.0f;     // the window where the reference shows the player's face
        var gate = new ExposureConsistency(reference).Gate(aligned, ExposureConsistency.EstimateMappings(reference, aligned)[0], 0.1, 4);

        Assert.Equal(0f, gate[0, 0, 36, 20].item<float>());
        Assert.True(gate[0, 0, .., 44..].min().item<float>() > 0.999f, "content that follows the mapping passes");
    }

    [Fact]
    public void Thin_edge_misregistration_passes_while_a_blob_is_rejected()
    {
        using var scope = NewDisposeScope();
        var discrepancy = zeros(1, 1, 64, 64);
        discrepancy[.., .., .., 10] = 0.5f;               // a one-pixel rim, as sub-pixel misregistration leaves
        discrepancy[.., .., 30..54, 30..54] = 0.5f;       // a misaligned subject
        var gate = ExposureConsistency.Gate(discrepancy, 0.1, 4);
        Assert.True(gate[0, 0, .., 10].min().item<float>() > 0.99f);
        Assert.Equal(0f, gate[0, 0, 42, 42].item<float>());
    }

    /// <summary>
    /// A white disc in the reference; the aligned short exposure shows it unclipped, shifted by 10 px (the flow did not
    /// follow it), so a crescent of it lies over the reference's background and is rightly rejected.
    /// </summary>
    private static (Tensor Reference, Tensor Aligned) ClippedMover()
    {
        var reference = Reference() * Scalars.Of(0.9);             // white only on the disc
        var aligned = Curve(reference) * Scalars.Of(0.3);
        var y = arange(Scalars.Of(64), dtype: ScalarType.Float32).view(1, 1, 64, 1);
        var x = arange(Scalars.Of(64), dtype: ScalarType.Float32).view(1, 1, 1, 64);
        Tensor Disc(double cx) => ((y - Scalars.Of(32)).pow(Scalars.Of(2)) + (x - Scalars.Of(cx)).pow(Scalars.Of(2)) < Scalars.Of(14 * 14)).expand(1, 3, 64, 64);
        reference = where(Disc(32), 1.0f, reference);
        aligned = where(Disc(22), 0.8f, aligned);
        return (reference, aligned);
    }

    [Fact]
    public void Where_the_reference_is_white_an_unclipped_brighter_exposure_passes_next_to_a_rejected_area()
    {
        using var scope = NewDisposeScope();
        var (reference, aligned) = ClippedMover();
        var consistency = new ExposureConsistency(reference);
        var mapping = ExposureConsistency.EstimateMappings(reference, aligned)[0];
        var gate = consistency.Gate(aligned, mapping, 0.1, 6);
        var grownOnly = ExposureConsistency.Gate(consistency.Discrepancy(aligned, mapping), 0.1, 6);

        Assert.Equal(0f, gate[0, 0, 32, 14].item<float>());                 // the disc over the background: rejected
        Assert.True(grownOnly[0, 0, 32, 24].item<float>() < 0.5f, "the grown rejection reaches into the white disc");
        Assert.True(grownOnly[0, 0, 32, 27].item<float>() < 0.9f, "and its feather further");
        Assert.True(gate[0, 0, 32, 24].item<float>() > 0.8f, "but the disc under a white reference is kept (feathered at its edge)");
        Assert.Equal(1f, gate[0, 0, 32, 27].item<float>());
        Assert.True(gate[0, 0, 32, 42].item<float>() < 0.5f, "background under a white reference is rejected");

        // Clipped too, the shorter exposure still bounds the disc's radiance above the reference's white: held open.
        var clippedAligned = where(aligned >= Scalars.Of(0.8f), 1.0f, aligned);
        var clippedGate = consistency.Gate(clippedAligned, ExposureConsistency.EstimateMappings(reference, clippedAligned)[0], 0.1, 6);
        Assert.True(clippedGate[0, 0, 32, 24].item<float>() > 0.8f);
        Assert.True(clippedGate[0, 0, 32, 42].item<float>() < 0.5f, "background under a white reference is still rejected");
    }

    [Fact]
    public void A_tile_checked_against_the_whole_images_mapping_decides_as_the_whole_image()
    {
        using var scope = NewDisposeScope();
        var (reference, aligned) = ClippedMover();
        var mapping = ExposureConsistency.EstimateMappings(reference, aligned)[0];
        var whole = new ExposureConsistency(reference).Gate(aligned, mapping, 0.1, 6);
        var tileReference = reference[.., .., 8..56, 0..40];
        var tile = new ExposureConsistency(tileReference).Gate(aligned[.., .., 8..56, 0..40], mapping, 0.1, 6);
        // Away from the tile's border, where the box filters see the same pixels.
        Assert.Equal(0.0, TensorAssert.MaxAbsDiff(whole[.., .., 26..38, 18..22], tile[.., .., 18..30, 18..22]));
        var ownMapping = ExposureConsistency.EstimateMappings(tileReference, aligned[.., .., 8..56, 0..40])[0];
        Assert.NotEqual(0.0, TensorAssert.MaxAbsDiff(mapping.Low, ownMapping.Low));
    }

    /// <summary>[1, 3, 6, H, W] as SAFNet takes it: linear = LDR^2.2 / t, t = 1, 4, 16.</summary>
    private static Tensor SafNetInput(Tensor shortLdr, Tensor referenceLdr, Tensor longLdr)
    {
        Tensor Pack(Tensor ldr, double t) => cat([ldr.pow(Scalars.Of(2.2)) / Scalars.Of(t), ldr], 1);
        return stack([Pack(shortLdr, 1), Pack(referenceLdr, 4), Pack(longLdr, 16)], 1);
    }

    [Fact]
    public void With_the_gate_SAFNet_merges_the_reference_where_the_long_exposure_shows_other_content()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var reference = Reference();
        var longLdr = (reference * Scalars.Of(Math.Pow(4, 1 / 2.2))).clamp(Scalars.Of(0), Scalars.Of(1));
        longLdr[.., .., 26..38, 14..26] = 1.0f;         // saturated foreign content over a dark reference region
        var input = SafNetInput(reference / Scalars.Of(Math.Pow(4, 1 / 2.2)), reference, longLdr);

        using var plain = new SafNet(SafNetConfig.Small with { EncoderWidth = 8 });
        using var gated = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, ConsistencyTolerance = 0.1 });
        gated.load_state_dict(plain.state_dict());
        plain.eval(); gated.eval();
        using var _ = no_grad();
        var mergedPlain = plain.ForwardWithFeatures(input).Features["merged"];
        var mergedGated = gated.ForwardWithFeatures(input).Features["merged"];

        float referenceLinear = (float)(Math.Pow(reference[0, 1, 32, 20].item<float>(), 2.2) / 4);
        Assert.Equal(referenceLinear, mergedGated[0, 1, 32, 20].item<float>(), 5);
        Assert.True(mergedPlain[0, 1, 32, 20].item<float>() > referenceLinear * 1.2f, "untrained masks let the foreign content in without the gate");
    }

    [Fact]
    public void Under_a_white_reference_SAFNet_takes_a_confirming_short_exposure_whatever_its_selection()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var reference = Reference();
        var shortLdr = reference / Scalars.Of(Math.Pow(4, 1 / 2.2));
        reference[.., .., 20..44, 20..44] = 1.0f;  // clipped in the reference
        shortLdr[.., .., 20..44, 20..44] = 0.6f;   // held by the short exposure: brighter than the reference's white
        var input = SafNetInput(shortLdr, reference, (reference * Scalars.Of(Math.Pow(4, 1 / 2.2))).clamp(Scalars.Of(0), Scalars.Of(1)));

        using var gated = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, ConsistencyTolerance = 0.1, Refine = false });
        gated.eval();
        using var _ = no_grad();
        var result = gated.ForwardWithFeatures(input);
        var mask0 = result.Features["mask0"];

        // The untrained selection is nowhere near 1, so a merge by it alone would pull the patch to the reference's white.
        Assert.True(mask0[0, 0, 10, 50].item<float>() < 0.9f, $"untrained selection {mask0[0, 0, 10, 50].item<float>()}");
        Assert.Equal(1f, mask0[0, 0, 32, 32].item<float>());
        Assert.Equal((float)Math.Pow(0.6, 2.2), result.Output[0, 1, 32, 32].item<float>(), 5);
    }

    [Fact]
    public void Without_the_refine_net_the_output_is_the_explicit_merge()
    {
        using var scope = NewDisposeScope();
        using var model = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, Refine = false });
        model.eval();
        using var _ = no_grad();
        var result = model.ForwardWithFeatures(rand([1, 3, 6, 32, 32]));
        TensorAssert.Exact(result.Features["merged"], result.Output);
        Assert.DoesNotContain(model.FeatureInfo, f => f.Name == "fused");
        Assert.False(result.Features.ContainsKey("fused"));
    }

    [Fact]
    public void Model_options_switch_the_gate_and_the_refine_net()
    {
        var config = SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["consistency_tolerance"] = "0.1", ["refine"] = "false" } }, SafNetConfig.Small);
        Assert.Equal(0.1, config.ConsistencyTolerance);
        Assert.False(config.Refine);
        Assert.Null(SafNetConfig.FromOptions(new ModelOptions(), SafNetConfig.Small).ConsistencyTolerance);
        Assert.Throws<ArgumentException>(() => SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["consistency_tolerance"] = "2" } }, SafNetConfig.Small));
        Assert.Throws<ArgumentException>(() => SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["refine"] = "maybe" } }, SafNetConfig.Small));
    }
}

/// <summary>The histogram shortcut of <see cref="SortedRows"/> against a plain sort.</summary>
public class SortedRowsTests
{
    [Theory]
    [InlineData(255)]
    [InlineData(65535)]
    [InlineData(0)] // not on a code grid: sorted
    public void Counting_codes_answers_as_sorting_does(int maxCode)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var values = rand([3, 5000], generator: generator).pow(Scalars.Of(2));
        if (maxCode > 0)
        {
            using var scale = (1f / maxCode).ToScalar();
            values = (values * Scalars.Of(maxCode)).round() * scale; // as CodeImage reads codes
        }
        var sorted = values.sort(dim: 1).Values.contiguous();
        var rows = SortedRows.Of(values);

        var edges = ((arange(Scalars.Of(ExposureConsistency.Levels + 1), dtype: ScalarType.Float32) - Scalars.Of(0.5)) / Scalars.Of(255)).unsqueeze(0).expand(3, -1).contiguous();
        Assert.True(searchsorted(sorted, edges).eq(rows.CountBelow(edges)).all().item<bool>());
        var ranks = randint(0, 5000, [3, 300], dtype: ScalarType.Int64, generator: generator);
        Assert.True(sorted.gather(1, ranks).eq(rows.AtRanks(ranks)).all().item<bool>());
    }
}
