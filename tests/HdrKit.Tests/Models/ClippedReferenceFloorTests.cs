using HdrKit.Models;
using HdrKit.Models.Blocks;
using HdrKit.Models.SafNet;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models;

/// <summary>The clipped-reference floor: a white reference bounds the output from below, and nothing else changes.</summary>
public class ClippedReferenceFloorTests
{
    [Fact]
    public void Only_channels_below_a_clipped_reference_are_raised()
    {
        using var scope = NewDisposeScope();
        // Pixel 0: clipped reference, output too dark; 1: clipped, output already brighter; 2: reference just under
        // the clipped code, dark output left alone. Red channel only clipped at pixel 0.
        var ldr = tensor(new float[] { 1f, 1f, 0.98f, 0.5f, 1f, 0.98f, 0.5f, 1f, 0.98f }, [1, 3, 1, 3]);
        var linear = ldr.pow(Scalars.Of(2.2)) / Scalars.Of(4);
        var output = tensor(new float[] { 0.05f, 0.9f, 0.05f, 0.05f, 0.9f, 0.05f, 0.05f, 0.9f, 0.05f }, [1, 3, 1, 3]);
        var floored = ClippedReferenceFloor.Apply(output, ldr, linear).data<float>().ToArray();
        Assert.Equal(new[] { 0.25f, 0.9f, 0.05f, 0.05f, 0.9f, 0.05f, 0.05f, 0.9f, 0.05f }, floored);
    }

    [Fact]
    public void SAFNet_with_the_floor_never_goes_below_its_white_reference()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var y = arange(Scalars.Of(64), dtype: ScalarType.Float32).view(1, 1, 64, 1);
        var x = arange(Scalars.Of(64), dtype: ScalarType.Float32).view(1, 1, 1, 64);
        var background = (Scalars.Of(0.35) + (x * Scalars.Of(0.3)).sin() * (y * Scalars.Of(0.2)).cos() * Scalars.Of(0.1)).expand(1, 3, 64, 64);
        var white = ((x >= Scalars.Of(16)) & (x < Scalars.Of(40)) & (y >= Scalars.Of(16)) & (y < Scalars.Of(40))).expand(1, 3, 64, 64);
        // The reference is white over the square, where the short exposure shows only the (moved-away) background.
        var reference = where(white, ones_like(background), background);
        var shortLdr = background * Scalars.Of(0.5);
        Tensor Pack(Tensor ldr, double t) => cat([ldr.pow(Scalars.Of(2.2)) / Scalars.Of(t), ldr], 1);
        var input = stack([Pack(shortLdr, 1), Pack(reference, 4), Pack(background.clamp_max(Scalars.Of(1)), 16)], 1);

        using var plain = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, Refine = false });
        using var floored = new SafNet(SafNetConfig.Small with { EncoderWidth = 8, Refine = false, ClippedFloor = true });
        floored.load_state_dict(plain.state_dict());
        plain.eval(); floored.eval();
        using var _ = no_grad();
        var a = plain.forward(input);
        var b = floored.forward(input);

        var bound = Scalars.Of(0.25f); // a white reference at a quarter of the shortest exposure's scale
        Assert.True(a.masked_select(white).min().item<float>() < 0.2f, "the unfloored merge takes the dark short exposure somewhere under the white reference");
        Assert.True(b.masked_select(white).ge(bound).all().item<bool>());
        Assert.Equal(0f, (a - b).masked_select(white.logical_not()).abs().max().item<float>());
    }

    [Fact]
    public void The_model_option_switches_the_floor()
    {
        Assert.True(SafNetConfig.FromOptions(new ModelOptions { Extra = new Dictionary<string, string> { ["clipped_floor"] = "true" } }, SafNetConfig.Small).ClippedFloor);
        Assert.False(SafNetConfig.FromOptions(new ModelOptions(), SafNetConfig.Small).ClippedFloor);
    }
}
