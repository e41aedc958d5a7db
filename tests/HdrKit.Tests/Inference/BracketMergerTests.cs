using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Inference;
using HdrKit.Tests.Classical;
using HdrKit.Tests.Training;
using HdrKit.Util;

namespace HdrKit.Tests.Inference;

public class BracketMergerTests
{
    private static Bracket Stops(params double[] ev) =>
        Scenes.Bracket(Scenes.Radiance(32, 24), ev.Select(s => Math.Pow(2, s) / 100).ToArray(), ev.Length / 2);

    private static string DefaultModelOrSkip()
    {
        var folder = RepoPaths.Root is { } r ? Path.Combine(r, "models", "default") : null;
        if (folder == null || !File.Exists(Path.Combine(folder, "model.json"))) Assert.Skip("no default model in models/default");
        return folder!;
    }

    [Fact]
    public void ClassicalMethodGivesTheClassicalMergersResult()
    {
        var bracket = Stops(-2, 0, 2);
        using var merger = BracketMerger.Create(new MergeOptions { Method = MergeMethod.Classical, Align = false }, bracket.Count);
        var result = merger.Merge(bracket);
        var direct = new ClassicalMerger(new ClassicalMergeOptions(Align: false, Deghost: true, CalibrateResponse: false)).Merge(bracket, cancellation: TestContext.Current.CancellationToken);
        Assert.Null(merger.Network);
        Assert.False(result.UsedNetwork);
        Assert.Equal(direct.Radiance.Data, result.Radiance.Data);
        Assert.NotNull(result.GhostMask);
        Assert.Equal("classical merge (deghosting, γ 2.2 response, Debevec)", result.Method);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void ANetworkTakesTheFramesThatSpanALongerBracket()
    {
        using var net = new TinyHdrNet(4, 3, 0);
        using var merger = BracketMerger.Create(new MergeOptions { Network = net, NetworkName = "tiny" }, 5);
        var result = merger.Merge(Stops(-2, -1, 0, 1, 2));
        Assert.True(result.UsedNetwork);
        Assert.Equal(3, result.Bracket.Count);
        Assert.Equal(new[] { 0.25, 1.0, 4.0 }, result.Bracket.ExposureSeconds.Select(t => Math.Round(t * 100, 9)));
        Assert.Equal("note: tiny merges 3 exposures; using images 1, 3, 5 of 5 (-2 EV, 0 EV, +2 EV)", Assert.Single(result.Notes));
        Assert.Equal((32, 24), (result.Radiance.Width, result.Radiance.Height));
        Assert.Equal(-1, result.Radiance.FindInvalidRadiance());
    }

    [Fact]
    public void AGivenNetworkThatCannotTakeTheBracketFailsBeforeAnyMerge()
    {
        using var net = new TinyHdrNet(4, 3, 0);
        var e = Assert.Throws<ArgumentException>(() => BracketMerger.Create(new MergeOptions { Network = net, NetworkName = "tiny" }, 2));
        Assert.Contains("tiny merges 3 exposures, this bracket has 2", e.Message);

        // Frames too far apart for the network: an error when the network was asked for.
        using var merger = BracketMerger.Create(new MergeOptions { Network = net, NetworkName = "tiny" }, 4);
        e = Assert.Throws<ArgumentException>(() => merger.Merge(Stops(-6, -2, 2, 6)));
        Assert.Contains("at most 3 stops apart", e.Message);
    }

    [Fact]
    public void TheDefaultModelGivesWayToTheClassicalMergeWithANote()
    {
        var folder = DefaultModelOrSkip();
        using (var twoFrames = BracketMerger.Create(new MergeOptions { ModelFolder = folder }, 2))
        {
            Assert.Null(twoFrames.Network);
            Assert.Contains("this bracket has 2; using the classical merge", Assert.Single(twoFrames.Notes));
        }
        using (var classicalAsked = BracketMerger.Create(new MergeOptions { ModelFolder = folder, ClassicalSettingsRequested = true }, 3))
        {
            Assert.Null(classicalAsked.Network);
            Assert.Empty(classicalAsked.Notes);
        }
        using var spread = BracketMerger.Create(new MergeOptions { ModelFolder = folder }, 4);
        Assert.NotNull(spread.Network);
        var result = spread.Merge(Stops(-6, -2, 2, 6));
        Assert.False(result.UsedNetwork);
        Assert.StartsWith("classical merge", result.Method);
        Assert.Contains("does not offer; using the classical merge", Assert.Single(result.Notes));

        // The fallback was for that bracket only: the same merger (as `hdrkit batch` reuses it) still merges the
        // next four-frame bracket whose frames the network can take with the network.
        Assert.NotNull(spread.Network);
        var next = spread.Merge(Stops(-2, -1, 0, 2));
        Assert.True(next.UsedNetwork);
        Assert.Equal(3, next.Bracket.Count);
    }
}
