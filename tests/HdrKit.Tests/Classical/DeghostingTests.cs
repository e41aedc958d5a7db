using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Tests.Classical;

public class DeghostingTests
{
    private static readonly double[] Seconds = { 1 / 16.0, 1 / 4.0, 1.0 };
    private const int W = 96, H = 64;

    // A static scene, except that the long exposure also shows a dark square (an object that moved in).
    private static (FloatImage Truth, Bracket Bracket) MovingSquare(int x, int y, int size, float value, int frame, double[]? seconds = null, int reference = 1)
    {
        seconds ??= Seconds;
        var truth = Scenes.Radiance(W, H, seed: 2);
        var moved = Scenes.WithSquare(truth, x, y, size, value);
        var frames = seconds.Select((t, i) => Scenes.Expose(i == frame ? moved : truth, t, noise: 1 / 255.0, seed: 20 + i)).ToArray();
        return (truth, new Bracket(frames, seconds, reference));
    }

    private static double MeanRelativeError(FloatImage merged, FloatImage truth, int x, int y, int size)
    {
        double sum = 0; int n = 0;
        for (int c = 0; c < 3; c++)
            for (int j = y; j < y + size; j++)
                for (int i = x; i < x + size; i++) { sum += Math.Abs(merged[c, j, i] - truth[c, j, i]) / truth[c, j, i]; n++; }
        return sum / n;
    }

    [Fact]
    public void ASquareMovingInOneFrameLeavesNoGhost()
    {
        // Where the square sits, the scene's radiance is ~2^-1..2^1, well exposed in the 1/4 s reference.
        var (truth, bracket) = MovingSquare(40, 20, 16, 0.05f, frame: 2);
        var response = CameraResponse.FromGamma();
        var plain = DebevecMerge.Merge(bracket, response);
        var ghosts = Deghosting.Detect(bracket, response);
        var deghosted = DebevecMerge.Merge(bracket, response, ghosts.Acceptance);

        Assert.True(MeanRelativeError(plain, truth, 40, 20, 16) > 0.2, "the plain merge should show the ghost");
        Assert.True(MeanRelativeError(deghosted, truth, 40, 20, 16) < 0.03, $"ghost remains: {MeanRelativeError(deghosted, truth, 40, 20, 16):F3}");
        for (int j = 20; j < 36; j++)
            for (int i = 40; i < 56; i++) Assert.Equal(1f, ghosts.GhostMask[0, j, i]);
    }

    [Fact]
    public void AStaticSceneIsNotRejected()
    {
        var (_, bracket) = MovingSquare(0, 0, 0, 0f, frame: 2);
        var ghosts = Deghosting.Detect(bracket, CameraResponse.FromGamma());
        Assert.True(ghosts.GhostFraction < 0.01, $"{ghosts.GhostFraction:P1} of a static scene was rejected");
    }

    [Fact]
    public void WhereTheReferenceIsSaturatedTheNearestAgreeingFrameIsTrusted()
    {
        // Five frames, reference 1 s; the square region has radiance ~2..4, saturated in the reference and the
        // longer frames. The shortest frame shows a moved object there; the 1/4 s frame (the anchor) does not.
        var seconds = new[] { 1 / 16.0, 1 / 4.0, 1.0, 4.0, 16.0 };
        var truth = Scenes.WithSquare(Scenes.Radiance(W, H, seed: 2), 30, 20, 20, 3f);
        var moved = Scenes.WithSquare(truth, 30, 20, 20, 0.5f);
        var frames = seconds.Select((t, i) => Scenes.Expose(i == 0 ? moved : truth, t, noise: 1 / 255.0, seed: 40 + i)).ToArray();
        var bracket = new Bracket(frames, seconds, 2);
        var response = CameraResponse.FromGamma();

        var plain = DebevecMerge.Merge(bracket, response);
        var deghosted = DebevecMerge.Merge(bracket, response, Deghosting.Detect(bracket, response).Acceptance);

        Assert.True(MeanRelativeError(plain, truth, 35, 25, 10) > 0.2, "the plain merge should show the ghost");
        Assert.True(MeanRelativeError(deghosted, truth, 35, 25, 10) < 0.05, $"ghost remains: {MeanRelativeError(deghosted, truth, 35, 25, 10):F3}");
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        var (_, bracket) = MovingSquare(0, 0, 0, 0f, frame: 2);
        var e = Assert.Throws<ArgumentException>(() => Deghosting.Detect(bracket, CameraResponse.FromGamma(), new DeghostOptions(LowCode: 0.9f, HighCode: 0.5f)));
        Assert.Contains("well-exposed band", e.Message);
    }
}
