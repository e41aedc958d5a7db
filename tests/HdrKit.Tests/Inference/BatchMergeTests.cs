using HdrKit.Imaging;
using HdrKit.Inference;

namespace HdrKit.Tests.Inference;

public class BatchMergeTests : IDisposable
{
    private readonly TestData.TempDir _dir = new();
    private static readonly DateTime Start = new(2026, 5, 1, 10, 0, 0);

    public void Dispose() => _dir.Dispose();

    private string Input => Directory.CreateDirectory(_dir.File("in")).FullName;

    /// <summary>Brackets of three frames 0.4 s apart; <paramref name="pause"/> seconds between brackets.</summary>
    private void WriteExifBrackets(int brackets, double pause)
    {
        var t = Start;
        for (int b = 0; b < brackets; b++)
        {
            for (int i = 0; i < BatchFolder.Seconds.Length; i++)
            {
                BatchFolder.WriteJpeg(Input, $"IMG_{b * 3 + i + 1:0000}", BatchFolder.Seconds[i], t);
                t = t.AddSeconds(0.4);
            }
            t = t.AddSeconds(pause);
        }
    }

    [Fact]
    public void CaptureTimeIncludesSubSeconds()
    {
        var path = BatchFolder.WriteJpeg(Input, "a", 1 / 16.0, Start.AddMilliseconds(250));
        Assert.Equal(Start.AddMilliseconds(250), ExifCaptureTime.Read(path));
        Assert.Null(ExifCaptureTime.Read(BatchFolder.WritePng(Input, "b", 1 / 16.0)));
    }

    [Fact]
    public void PausesBetweenBracketsSplitThem()
    {
        WriteExifBrackets(3, pause: 5);
        var groups = BracketGrouping.Group(BracketGrouping.Scan(Input));
        Assert.Equal(new[] { "IMG_0001-IMG_0003", "IMG_0004-IMG_0006", "IMG_0007-IMG_0009" }, groups.Select(g => g.Name));
        Assert.All(groups, g => Assert.Equal(BatchFolder.Seconds, g.Frames.Select(f => f.Exposure!.Value), new ToleranceComparer(1e-3)));
    }

    [Fact]
    public void ABurstWithoutPausesSplitsWhereTheExposureSequenceRestarts()
    {
        WriteExifBrackets(2, pause: 0);
        var groups = BracketGrouping.Group(BracketGrouping.Scan(Input));
        Assert.Equal(new[] { 3, 3 }, groups.Select(g => g.Count));
        Assert.Equal("IMG_0004", Path.GetFileNameWithoutExtension(groups[1].Files[0]));
    }

    [Fact]
    public void FramesWithoutCaptureTimeNeedAFixedGroupSize()
    {
        for (int i = 0; i < 6; i++) BatchFolder.WritePng(Input, $"f{i}", BatchFolder.Seconds[i % 3]);
        var frames = BracketGrouping.Scan(Input);
        var e = Assert.Throws<ArgumentException>(() => BracketGrouping.Group(frames));
        Assert.Contains("--group", e.Message);
        var groups = BracketGrouping.Group(frames, fixedSize: 3);
        Assert.Equal(new[] { "f0-f2", "f3-f5" }, groups.Select(g => g.Name));
    }

    [Fact]
    public void MergesEachBracketResumesAndSkipsACorruptOne()
    {
        WriteExifBrackets(3, pause: 5);
        // The middle bracket's second frame keeps its EXIF but loses the rest of its image data.
        var corrupt = Path.Combine(Input, "IMG_0005.jpg");
        var bytes = File.ReadAllBytes(corrupt);
        int scan = Enumerable.Range(0, bytes.Length - 1).First(i => bytes[i] == 0xFF && bytes[i + 1] == 0xDA);
        File.WriteAllBytes(corrupt, bytes[..(scan + 24)]);

        var groups = BracketGrouping.Group(BracketGrouping.Scan(Input));
        Assert.Equal(3, groups.Count); // EXIF still readable, so grouping is unaffected
        var batch = new BatchMerge(new BatchOptions { Merge = new MergeOptions { Method = MergeMethod.Classical } });
        var reported = new List<double>();
        var results = batch.Run(groups, _dir.File("out"), new Recorder(reported), TestContext.Current.CancellationToken);

        Assert.Equal(new[] { BatchStatus.Merged, BatchStatus.Failed, BatchStatus.Merged }, results.Select(r => r.Status));
        Assert.Contains("IMG_0005", results[1].Error);
        Assert.False(File.Exists(results[1].Output));
        Assert.Equal(1.0, reported[^1], 6);
        Assert.True(reported.Zip(reported.Skip(1)).All(p => p.Second >= p.First - 1e-12), "progress never goes back");
        foreach (var r in results.Where(r => r.Status == BatchStatus.Merged))
        {
            var hdr = HdrImageFile.Read(r.Output);
            Assert.Equal((48, 32), (hdr.Width, hdr.Height));
            // The ramp spans 8 stops over the width: half the width apart is 4 stops in the merged radiance.
            double stops = Math.Log2(hdr[1, 16, 36] / hdr[1, 16, 12]);
            Assert.InRange(stops, 3.7, 4.3);
        }

        // A second run merges only what is missing: the repaired bracket.
        File.WriteAllBytes(corrupt, bytes);
        var again = batch.Run(groups, _dir.File("out"), cancel: TestContext.Current.CancellationToken);
        Assert.Equal(new[] { BatchStatus.Skipped, BatchStatus.Merged, BatchStatus.Skipped }, again.Select(r => r.Status));
    }

    [Fact]
    public void AnInterruptedBatchKeepsFinishedBracketsAndResumes()
    {
        WriteExifBrackets(3, pause: 5);
        var groups = BracketGrouping.Group(BracketGrouping.Scan(Input));
        var batch = new BatchMerge(new BatchOptions { Merge = new MergeOptions { Method = MergeMethod.Classical } });
        using var stop = new CancellationTokenSource();
        // Interrupt once the first bracket is written (a third of the job).
        var progress = new Watcher(v => { if (v >= 1 / 3.0 - 1e-9) stop.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => batch.Run(groups, _dir.File("out"), progress, stop.Token));
        Assert.True(File.Exists(batch.OutputPath(groups[0], _dir.File("out"))));
        Assert.False(File.Exists(batch.OutputPath(groups[2], _dir.File("out"))));

        var resumed = batch.Run(groups, _dir.File("out"), cancel: TestContext.Current.CancellationToken);
        Assert.Equal(BatchStatus.Skipped, resumed[0].Status);
        Assert.Equal(BatchStatus.Merged, resumed[2].Status);
    }

    private sealed class Watcher(Action<double> onReport) : IProgress<double>
    {
        public void Report(double value) => onReport(value);
    }

    private sealed class Recorder(List<double> values) : IProgress<double>
    {
        public void Report(double value) { lock (values) values.Add(value); }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));
        public int GetHashCode(double obj) => 0;
    }
}
