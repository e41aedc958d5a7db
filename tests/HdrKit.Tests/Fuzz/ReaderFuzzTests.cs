using System.Diagnostics;
using HdrKit.Fuzz;
using HdrKit.Util;

namespace HdrKit.Tests.Fuzz;

/// <summary>
/// Replays the committed fuzz corpus (fuzz/corpus/&lt;target&gt;) through every reader, plus deterministic mutations
/// of its valid seeds: truncation at every offset, bit flips, inserted bytes and 32-bit fields overwritten with
/// extreme sizes (fixed seed). Valid seeds must read, regress-* inputs (issue 18's failure modes) must be refused
/// with the one format error, and no input may let anything else escape, take long or allocate past a small budget
/// (managed allocations only: libvips and libtorch allocate natively).
/// </summary>
public class ReaderFuzzTests
{
    private const int BudgetPixels = 1 << 20;
    private const long BudgetBytes = 64L << 20;
    // The budget bounds what a reader may decide to allocate; the rest is the file itself and bookkeeping.
    private const long MaxManagedBytesPerInput = BudgetBytes + (32L << 20);
    private static readonly TimeSpan MaxTimePerInput = TimeSpan.FromSeconds(3);

    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    private static string CorpusFolder(string target) => Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", target);

    [Fact]
    public void EveryTargetHasSeedsAndEveryCorpusFolderATarget()
    {
        var folders = Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "FuzzCorpus")).Select(Path.GetFileName).Order();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(), folders);
        foreach (var t in FuzzTargets.All)
            Assert.Contains(Directory.GetFiles(CorpusFolder(t.Name)), f => !Path.GetFileName(f).StartsWith("regress-", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void SeedsReadAndRegressionsAreRefusedWithOneFormatError(string name)
    {
        var target = FuzzTargets.Get(name);
        using var scratch = new TestData.TempDir();
        using var budget = InputBudget.Use(BudgetPixels, BudgetBytes);
        foreach (var file in Directory.GetFiles(CorpusFolder(name)).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(scratch.Path, "input" + target.Extension);
            var input = File.ReadAllBytes(file);
            Exception? thrown = null;
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { target.Run(input, path); }
            catch (Exception e) { thrown = e; }
            // Several regressions are inputs that allocated gigabytes before being refused: refusing is not enough.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= MaxManagedBytesPerInput, $"{file} allocated {allocated} bytes");
            if (Path.GetFileName(file).StartsWith("regress-", StringComparison.Ordinal))
            {
                Assert.True(thrown != null, $"{file} was accepted");
                Assert.True(FuzzTargets.IsFormatError(thrown!, path), $"{file}: {thrown!.GetType().Name}: {thrown.Message}");
            }
            else
                Assert.True(thrown == null, $"{file} is a valid seed but failed: {thrown?.GetType().Name}: {thrown?.Message}");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void MutatedSeedsOnlyEverFailWithTheFormatError(string name)
    {
        var target = FuzzTargets.Get(name);
        using var scratch = new TestData.TempDir();
        using var budget = InputBudget.Use(BudgetPixels, BudgetBytes);
        var failures = new List<string>();
        int runs = 0;
        foreach (var file in Directory.GetFiles(CorpusFolder(name)).Where(f => !Path.GetFileName(f).StartsWith("regress-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var seed = File.ReadAllBytes(file);
            foreach (var (what, input) in Mutations(seed, new Random(18)))
            {
                runs++;
                long before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                var e = FuzzTargets.Check(target, input, scratch.Path);
                clock.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (e != null) failures.Add($"{Path.GetFileName(file)} {what}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                else if (allocated > MaxManagedBytesPerInput) failures.Add($"{Path.GetFileName(file)} {what}: allocated {allocated} bytes");
                else if (clock.Elapsed > MaxTimePerInput) failures.Add($"{Path.GetFileName(file)} {what}: took {clock.Elapsed.TotalSeconds:F1} s");
                if (failures.Count >= 10) break;
            }
        }
        Assert.True(runs > 100, $"only {runs} mutated inputs");
        Assert.True(failures.Count == 0, $"{failures.Count} of {runs} mutated inputs misbehaved:\n{string.Join("\n", failures)}");
    }

    /// <summary>The mutations the issue's attack used, made deterministic: all of them for files of up to 2 KB.</summary>
    private static IEnumerable<(string What, byte[] Input)> Mutations(byte[] seed, Random rng)
    {
        int step = Math.Max(1, seed.Length / 2048);
        for (int n = 0; n < seed.Length; n += step) yield return ($"truncated to {n}", seed[..n]);
        for (int i = 0; i < 150; i++)
        {
            var flipped = (byte[])seed.Clone();
            int flips = 1 + rng.Next(4);
            for (int k = 0; k < flips; k++) flipped[rng.Next(seed.Length)] ^= (byte)(1 << rng.Next(8));
            yield return ($"bit flips #{i}", flipped);
        }
        uint[] extremes = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0xfffffff0];
        for (int i = 0; i < 100 && seed.Length >= 4; i++)
        {
            var sized = (byte[])seed.Clone();
            int at = rng.Next(seed.Length - 3);
            BitConverter.TryWriteBytes(sized.AsSpan(at, 4), extremes[rng.Next(extremes.Length)]);
            yield return ($"32-bit field at {at} set to an extreme", sized);
        }
        for (int i = 0; i < 30; i++)
        {
            int at = rng.Next(seed.Length + 1), count = 1 + rng.Next(16);
            var inserted = new byte[seed.Length + count];
            seed.AsSpan(0, at).CopyTo(inserted);
            rng.NextBytes(inserted.AsSpan(at, count));
            seed.AsSpan(at).CopyTo(inserted.AsSpan(at + count));
            yield return ($"{count} bytes inserted at {at}", inserted);
        }
    }
}
