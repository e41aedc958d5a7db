using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Models;
using HdrKit.Tests.Classical;
using HdrKit.Util;

namespace HdrKit.Tests.Inference;

/// <summary>
/// Saturation (issue 17 item 3): where the reference frame is clipped under a moving object, the merge must take the
/// radiance from the exposure that holds it (here only the short one), not fill in a plateau.
/// </summary>
public class ClippedReferenceTests
{
    private const int W = 128, H = 96, Radius = 20, StepPixels = 6;

    /// <summary>
    /// Background texture, plus a bright striped disc that moves <see cref="StepPixels"/> per exposure: a dome of 1.5–3.6× the
    /// reference's full well, so it clips in the reference and the long exposure and the short one (¼) keeps it.
    /// </summary>
    internal static (Bracket Bracket, FloatImage GroundTruth, bool[] Clipped) Scene()
    {
        var background = Scenes.Texture(W, H, seed: 3);
        background.ScaleInPlace(0.25f);
        double[] seconds = [0.25, 1, 4];
        var radiance = new FloatImage[3];
        for (int f = 0; f < 3; f++)
        {
            var img = background.Clone();
            double cx = W / 2.0 + (f - 1) * StepPixels, cy = H / 2.0 + (f - 1) * StepPixels / 2.0;
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                {
                    double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                    if (dx * dx + dy * dy >= Radius * Radius) continue;
                    // A dome (a lamp, a sunlit face) in the object's own coordinates, so it moves with it.
                    float v = 1.5f + 2.1f * (float)(1 - (dx * dx + dy * dy) / (Radius * Radius));
                    img[0, y, x] = v * 1.1f; img[1, y, x] = v; img[2, y, x] = v * 0.8f;
                }
            radiance[f] = img;
        }
        var bracket = new Bracket(radiance.Select((r, f) => Scenes.Expose(r, seconds[f], seed: 20 + f)).ToArray(), seconds, 1);
        var reference = bracket.Frames[1];
        var clipped = new bool[W * H];
        int plane = W * H;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                double dx = x + 0.5 - W / 2.0, dy = y + 0.5 - H / 2.0;
                int p = y * W + x;
                // Inside the object (2 px in from its edge) where every channel of the reference is white.
                clipped[p] = dx * dx + dy * dy < (Radius - 2) * (Radius - 2)
                             && reference.Data[p] >= 1f && reference.Data[plane + p] >= 1f && reference.Data[2 * plane + p] >= 1f;
            }
        return (bracket, radiance[1], clipped);
    }

    /// <summary>Mean of merge / truth over the clipped pixels (luminance), and the mean absolute relative error.</summary>
    internal static (double Ratio, double RelativeError) Error(FloatImage merged, FloatImage truth, bool[] clipped)
    {
        int plane = W * H, n = 0;
        double ratio = 0, error = 0;
        for (int p = 0; p < plane; p++)
        {
            if (!clipped[p]) continue;
            double m = 0.2126 * merged.Data[p] + 0.7152 * merged.Data[plane + p] + 0.0722 * merged.Data[2 * plane + p];
            double t = 0.2126 * truth.Data[p] + 0.7152 * truth.Data[plane + p] + 0.0722 * truth.Data[2 * plane + p];
            ratio += m / t; error += Math.Abs(m - t) / t; n++;
        }
        return (ratio / n, error / n);
    }

    [Fact]
    public void TheSceneClipsTheReferenceUnderTheMoverAndTheShortExposureHoldsIt()
    {
        var (bracket, truth, clipped) = Scene();
        int count = clipped.Count(c => c);
        Assert.True(count > 600, $"only {count} clipped pixels under the mover");
        var shortFrame = bracket.Frames[0];
        // In the short exposure the object (at its own place) is below white: the information exists.
        Assert.True(shortFrame.Data.Max() < 1f, "the short exposure must not clip");
    }

    private static string DefaultModelOrSkip()
    {
        var folder = RepoPaths.Root is { } r ? Path.Combine(r, "models", "default") : null;
        if (folder == null || !File.Exists(Path.Combine(folder, "model.json"))) Assert.Skip("no default model in models/default");
        return folder!;
    }

    /// <summary>
    /// Issue 17 item 3's bounds (merge/truth within [0.85, 1.2], mean relative error below 0.25), on the shipped
    /// default model, exposure-consistency gate included: where the reference is white, the gate keeps the unclipped
    /// short exposure that measures the mover, although the flow does not follow it and the rejection of its
    /// misaligned edge over the background lies next door.
    /// </summary>
    [Fact]
    public void The_shipped_default_takes_a_clipped_mover_from_the_short_exposure()
    {
        var (bracket, truth, clipped) = Scene();
        var folder = DefaultModelOrSkip();
        var (network, info) = DefaultModel.Load(folder);
        Assert.True(info.Extra?.ContainsKey("consistency_tolerance"), "the shipped default runs with the gate");
        using var merger = BracketMerger.Create(new MergeOptions { Method = MergeMethod.Network, Network = network, NetworkName = info.Model }, bracket.Count);
        try
        {
            var (ratio, error) = Error(merger.Merge(bracket).Radiance, truth, clipped);
            Assert.True(ratio is >= 0.85 and <= 1.2 && error < 0.25, $"merge/truth {ratio:F3}, mean relative error {error:F3}");
        }
        finally { network.Dispose(); }
    }
}
