using HdrKit.Data;
using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Data;

public class PatchLoaderTests
{
    private static ISceneSource Source() =>
        new SyntheticSceneSource(new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 32, Height = 32 }), 3);

    private static LoaderOptions Options(int workers, InputOrder order = InputOrder.LinearFirst) => new()
    {
        BatchSize = 2, PatchSize = 32, Workers = workers, Prefetch = 3, Order = order,
        Augmentation = AugmentationOptions.Strong, IncludeSegments = true, IncludeMotionMask = true, Seed = 5,
    };

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void BatchesHaveTheNetworkLayoutAndHIsLdrThroughGamma()
    {
        using var scope = torch.NewDisposeScope();
        using var loader = new PatchLoader(Source(), Options(1));
        using var batch = loader.Next();
        Assert.Equal(new long[] { 2, 3, 6, 32, 32 }, batch.Inputs.shape);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, batch.Target!.shape);
        Assert.Equal(new long[] { 2, 1, 32, 32 }, batch.Segments!.shape);
        Assert.Equal(ScalarType.Int64, batch.Segments.dtype);
        Assert.Equal([true, true], batch.Labelled);
        Assert.Equal(new long[] { 2, 1, 32, 32 }, batch.MotionMask!.shape);
        var h = batch.Inputs[.., .., ..3]; var ldr = batch.Inputs[.., .., 3..];
        var t = torch.tensor(new float[] { 1f, 4f, 16f }).reshape(1, 3, 1, 1, 1); // stops 0/2/4
        Assert.True(torch.allclose(h, ldr.pow(Scalars.Of(2.2f)) / t, rtol: 1e-4, atol: 1e-6));
        Assert.True(ldr.min().item<float>() >= 0f && ldr.max().item<float>() <= 1f);
    }

    [Fact]
    public void LdrFirstOrderSwapsTheHalves()
    {
        using var scope = torch.NewDisposeScope();
        using var a = new PatchLoader(Source(), Options(1, InputOrder.LinearFirst));
        using var b = new PatchLoader(Source(), Options(1, InputOrder.LdrFirst));
        using var x = a.Next(); using var y = b.Next();
        Assert.True(Same(x.Inputs[.., .., ..3], y.Inputs[.., .., 3..]));
        Assert.True(Same(x.Inputs[.., .., 3..], y.Inputs[.., .., ..3]));
    }

    [Fact]
    public void StreamIsTheSameForAnyWorkerCount()
    {
        using var scope = torch.NewDisposeScope();
        using var one = new PatchLoader(Source(), Options(1));
        using var three = new PatchLoader(Source(), Options(3));
        var direct = new PatchLoader(Source(), Options(1));
        for (int i = 0; i < 4; i++)
        {
            using var p = one.Next(); using var q = three.Next(); using var r = direct.Make(i);
            Assert.Equal(i, q.Index);
            Assert.True(Same(p.Inputs, q.Inputs) && Same(p.Target!, q.Target!), $"batch {i} differs with 3 workers");
            Assert.True(Same(p.Segments!, q.Segments!) && Same(p.MotionMask!, q.MotionMask!));
            Assert.True(Same(p.Inputs, r.Inputs));
        }
        direct.Dispose();
    }

    [Fact]
    public void EveryTransformIsAPermutationOfThePatch()
    {
        for (int rot = 0; rot < 4; rot++)
            foreach (var fh in new[] { false, true })
                foreach (var fv in new[] { false, true })
                {
                    var t = new PatchTransform(rot, fh, fv, [0, 1, 2]);
                    var seen = new HashSet<(int, int)>();
                    for (int y = 0; y < 5; y++) for (int x = 0; x < 5; x++) seen.Add(t.Source(x, y, 5));
                    Assert.Equal(25, seen.Count);
                }
        Assert.Equal((3, 1), PatchTransform.Identity.Source(3, 1, 5));
        Assert.Equal((1, 1), new PatchTransform(1, false, false, [0, 1, 2]).Source(1, 3, 5)); // quarter turn: (x,y) ← (4−y, x)
    }

    [Fact]
    public void WorkerErrorsSurfaceOnTheConsumer()
    {
        var tooSmall = new SyntheticSceneSource(new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 16, Height = 16 }), 1);
        using var loader = new PatchLoader(tooSmall, Options(1));
        var e = Assert.Throws<AggregateException>(() => loader.Next());
        Assert.Contains("smaller than the 32x32 patch", e.InnerExceptions[0].Message);
    }
}
