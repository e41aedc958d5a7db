using System.Diagnostics;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Util;

namespace HdrKit.Tests.Packaging;

/// <summary>
/// `dotnet pack` of src/HdrKit, then samples/HdrKit.Sample built against the .nupkg in a temporary folder and run on
/// samples/workshop. Offline: the package comes from a folder feed and its dependencies from the local NuGet cache
/// (as a read-only fallback folder, so the test leaves no HdrKit package in the cache). About a minute; filter
/// it out with `--filter "Category!=Package"`.
/// </summary>
[Trait("Category", "Package")]
public class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly TestData.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheSampleAppBuildsAgainstThePackedPackageAndMergesWithItsDefaultModel()
    {
        if (RepoPaths.Root is not { } root) { Assert.Skip("source checkout not found (HdrKit.slnx)"); return; }
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Assert.SkipUnless(Directory.Exists(Path.Combine(cache, "torchsharp-cpu")), $"no local NuGet cache with HdrKit's dependencies at {cache}");

        var sample = Path.Combine(_dir.Path, "sample");
        foreach (var f in Directory.GetFiles(Path.Combine(root, "samples", "HdrKit.Sample")))
        {
            Directory.CreateDirectory(sample);
            File.Copy(f, Path.Combine(sample, Path.GetFileName(f)));
        }
        var feed = Path.Combine(sample, "packages"); // where the sample's nuget.config looks

        // --no-build packs what this test run was built from.
        Run(root, "pack", Path.Combine(root, "src", "HdrKit"), "-c", Configuration, "--no-build", "-o", feed);
        var nupkg = Assert.Single(Directory.GetFiles(feed, "HdrKit.*.nupkg"));

        Run(sample, "build", "-c", "Release", $"-p:RestoreSources={feed}", $"-p:RestorePackagesPath={Path.Combine(_dir.Path, "nuget")}",
            $"-p:RestoreFallbackFolders={cache}");
        var app = Directory.GetFiles(Path.Combine(sample, "bin"), "HdrKit.Sample.dll", SearchOption.AllDirectories).Single();
        var output = Path.Combine(_dir.Path, "workshop.exr");
        var stdout = Run(sample, app, Path.Combine(root, "samples", "workshop"), output);

        // The model came with the package, next to the app (not from this checkout's models/default).
        Assert.Contains("default model (safnet-s-tiny)", stdout);
        Assert.Contains($"model folder {Path.Combine(Path.GetDirectoryName(app)!, "models", "default")}", stdout);
        using var reader = System.IO.Compression.ZipFile.OpenRead(nupkg);
        Assert.Contains(reader.Entries, e => e.FullName == "README.md");

        var expected = ExpectedMerge(Path.Combine(root, "samples", "workshop"));
        var actual = HdrImageFile.Read(output);
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        // EXR stores half floats: 11 significant bits.
        for (int i = 0; i < expected.Data.Length; i++)
            Assert.True(Math.Abs(actual.Data[i] - expected.Data[i]) <= 2e-3f * Math.Abs(expected.Data[i]) + 1e-6f, $"sample {i}: {actual.Data[i]} vs {expected.Data[i]}");
    }

    private static FloatImage ExpectedMerge(string folder)
    {
        var bracket = BracketFiles.Load([folder]).Bracket;
        using var merger = BracketMerger.Create(new MergeOptions(), bracket.Count);
        return merger.Merge(bracket).Radiance;
    }

    /// <summary>Runs `dotnet ARGS` and returns its stdout; fails the test with the output on a non-zero exit.</summary>
    private static string Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (args[0] is "build" or "pack") foreach (var a in new[] { "-nodeReuse:false", "--disable-build-servers", "-v", "minimal" }) start.ArgumentList.Add(a);
        // The test host's MSBuild settings would point the child build at this build's SDK state.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {process.ExitCode}\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
