using HdrKit.Models;
using HdrKit.Models.Blocks;
using HdrKit.Models.SafNet;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>The structural-consistency gate: misaligned structure is rejected, aligned, flat and clipped areas are not touched.</summary>
public class StructuralConsistencyTests
{
    private const double Tolerance = 0.15;

    /// <summary>
    /// A mid-grey field with a textured square (x, y 20–44) on a 96×96 image, 8-bit codes, [1, 3, 96, 96]: in the
    /// square, blobs 8–10 px across, like the features of a face (texture at the pixel scale counts as noise).
    /// </summary>
    private static Tensor Scene(double level = 0.3, int shiftX = 0)
    {
        var y = arange(Scalars.Of(96), dtype: ScalarType.Float32).view(1, 1, 96, 1);
        var x = (arange(Scalars.Of(96), dtype: ScalarType.Float32) - Scalars.Of(shiftX)).view(1, 1, 1, 96);
        var texture = (x * Scalars.Of(0.4)).sin() * (y * Scalars.Of(0.3)).cos() * Scalars.Of(0.08);
        var inside = ((x >= Scalars.Of(20)) & (x < Scalars.Of(44)) & (y >= Scalars.Of(20)) & (y < Scalars.Of(44))).to(ScalarType.Float32);
        return ((Scalars.Of(level) + texture * inside).expand(1, 3, 96, 96) * Scalars.Of(255)).round() / Scalars.Of(255);
    }

    /// <summary>The same scene 2 EV brighter through a γ 2.2 response, as the long exposure shows it.</summary>
    private static Tensor Longer(Tensor ldr) => ((ldr.pow(Scalars.Of(2.2)) * Scalars.Of(4)).pow(Scalars.Of(1 / 2.2)).clamp(Scalars.Of(0), Scalars.Of(1)) * Scalars.Of(255)).round() / Scalars.Of(255);

    [Fact]
    public void A_shifted_textured_patch_is_rejected_and_the_same_patch_aligned_is_kept()
    {
        using var scope = NewDisposeScope();
        var structure = new StructuralConsistency(Scene());
        var aligned = structure.Gate(Longer(Scene()), Tolerance, 4);
        var shifted = structure.Gate(Longer(Scene(shiftX: 5)), Tolerance, 4);

        Assert.True(aligned.min().item<float>() > 0.999f, $"aligned content passes everywhere (min {aligned.min().item<float>()})");
        Assert.True(shifted[0, 0, 26..38, 26..38].max().item<float>() < 0.01f, "the shifted texture is rejected inside the patch");
        Assert.True(shifted[0, 0, .., 68..].min().item<float>() > 0.999f, "the flat field beyond the gate's 15 px reach passes");
    }

    [Theory]
    [InlineData(0.004)]   // about one 8-bit code, as JPEG darks show it
    [InlineData(0.01)]    // the simulated validation set's darkest scenes, in code units
    public void Flat_areas_pass_whatever_the_noise_of_the_reference(double sigma)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        // A noisy reference against a clean longer exposure: nothing to compare, and the longer exposure is what
        // takes the noise out.
        var noisy = ((full(1, 3, 96, 96, Scalars.Of(0.12f)) + randn(1, 1, 96, 96).expand(1, 3, 96, 96) * Scalars.Of(sigma)) * Scalars.Of(255)).round() / Scalars.Of(255);
        var gate = new StructuralConsistency(noisy).Gate(Longer(full(1, 3, 96, 96, Scalars.Of(0.12f))), Tolerance, 4);
        Assert.True(gate.mean().item<float>() > 0.99f, $"mean {gate.mean().item<float>()}");
    }

    [Fact]
    public void Where_the_reference_is_clipped_the_check_says_nothing()
    {
        using var scope = NewDisposeScope();
        // The reference is saturated or black over the whole frame; the other exposure shows texture there, which is
        // exactly the information it is merged for.
        foreach (var level in new[] { 1.0, 0.0 })
        {
            var gate = new StructuralConsistency(full(1, 3, 96, 96, Scalars.Of((float)level))).Gate(Scene(0.4), Tolerance, 4);
            Assert.True(gate.min().item<float>() > 0.999f, $"reference at {level}: min {gate.min().item<float>()}");
        }
        // Clipped in one channel only (a saturated red sweater) also counts as clipped.
        var red = Scene(0.5).clone();
        red[.., 0] = 1.0f;
        var oneChannel = new StructuralConsistency(red).Gate(Scene(0.4, shiftX: 5), Tolerance, 4);
        Assert.True(oneChannel.min().item<float>() > 0.999f);
    }

    [Fact]
    public void Structure_where_the_reference_is_flat_is_rejected()
    {
        using var scope = NewDisposeScope();
        // The doubled nose: the misaligned exposure shows a feature where the reference shows a plain cheek.
        var gate = new StructuralConsistency(full(1, 3, 96, 96, Scalars.Of(0.3f))).Gate(Longer(Scene()), Tolerance, 4);
        Assert.True(gate[0, 0, 26..38, 26..38].max().item<float>() < 0.01f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void With_the_gate_SAFNet_merges_the_reference_where_the_long_exposure_is_shifted(int reduction)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var reference = Scene();
        Tensor Pack(Tensor ldr, double t) => cat([ldr.pow(Scalars.Of(2.2)) / Scalars.Of(t), ldr], 1);
        var input = stack([Pack(Scene() / Scalars.Of(Math.Pow(4, 1 / 2.2)), 1), Pack(reference, 4), Pack(Longer(Scene(shiftX: 5)), 16)], 1);

        using var plain = new SafNet(SafNetConfig.Small with { EncoderWidth = 8 });
        using var gated = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, StructureTolerance = Tolerance, StructureReduction = reduction });
        gated.load_state_dict(plain.state_dict());
        plain.eval(); gated.eval();
        using var _ = no_grad();
        var mergedPlain = plain.ForwardWithFeatures(input).Features["merged"];
        var mergedGated = gated.ForwardWithFeatures(input).Features["merged"];

        var referenceLinear = reference[.., .., 26..38, 26..38].pow(Scalars.Of(2.2)) / Scalars.Of(4);
        var errorGated = (mergedGated[.., .., 26..38, 26..38] - referenceLinear).abs().max().item<float>();
        var errorPlain = (mergedPlain[.., .., 26..38, 26..38] - referenceLinear).abs().max().item<float>();
        Assert.True(errorGated < 1e-5f, $"gated merge keeps the reference (max error {errorGated})");
        Assert.True(errorPlain > 1e-3f, $"untrained masks let the shifted long exposure in without the gate (max error {errorPlain})");
    }

    [Fact]
    public void The_model_option_switches_the_structural_gate()
    {
        Assert.Equal(0.3, SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["structure_tolerance"] = "0.3" } }, SafNetConfig.Small).StructureTolerance);
        Assert.Null(SafNetConfig.FromOptions(new ModelOptions(), SafNetConfig.Small).StructureTolerance);
        Assert.Throws<ArgumentException>(() => SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["structure_tolerance"] = "1.5" } }, SafNetConfig.Small));
        Assert.Equal(2, SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["structure_reduction"] = "2" } }, SafNetConfig.Small).StructureReduction);
        Assert.Equal(1, SafNetConfig.FromOptions(new ModelOptions(), SafNetConfig.Small).StructureReduction);
        Assert.Throws<ArgumentException>(() => SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["structure_reduction"] = "0" } }, SafNetConfig.Small));
    }
}
