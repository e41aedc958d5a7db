using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;
using HdrKit.Util;

namespace HdrKit.Tests.Inference;

public class ReadmeExampleTests
{
    /// <summary>The README's C# example, verbatim between the markers (the test below checks it is).</summary>
    private static void ReadmeExample(string folder, string output)
    {
        // csharp-example:begin
        var bracket = BracketFiles.Load([folder]).Bracket; // e.g. "samples/workshop": images + exposure.txt, or EXIF
        using var merger = BracketMerger.Create(new MergeOptions(), bracket.Count);
        var merged = merger.Merge(bracket);
        foreach (var note in merged.Notes) Console.WriteLine(note);
        HdrImageFile.Write(output, merged.Radiance); // e.g. "workshop.exr"
        // csharp-example:end
    }

    private static string RootOrSkip()
    {
        if (RepoPaths.Root == null) Assert.Skip("source checkout not found (HdrKit.slnx)");
        return RepoPaths.Root!;
    }

    private static string Between(string text, string begin, string end)
    {
        int a = text.IndexOf(begin, StringComparison.Ordinal), b = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, $"markers {begin} … {end} not found");
        return text[(a + begin.Length)..b];
    }

    private static string[] CodeLines(string block) =>
        block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("```") && !l.StartsWith("// csharp-example")).ToArray();

    [Fact]
    public void TheReadmeShowsThisTestsSnippetVerbatim()
    {
        var root = RootOrSkip();
        var readme = Between(File.ReadAllText(Path.Combine(root, "README.md")), "<!-- csharp-example:begin -->", "<!-- csharp-example:end -->");
        var source = Between(File.ReadAllText(Path.Combine(root, "tests", "HdrKit.Tests", "Inference", "ReadmeExampleTests.cs")),
            "// csharp-example:" + "begin", "// csharp-example:" + "end");
        var expected = CodeLines(source);
        Assert.True(expected.Length >= 4, "the snippet in this file was not found");
        Assert.Equal(expected, CodeLines(readme));
    }

    [Fact]
    public void TheSnippetMergesTheWorkshopSampleIntoAnExr()
    {
        var folder = Path.Combine(RootOrSkip(), "samples", "workshop");
        using var dir = new TestData.TempDir();
        var output = dir.File("workshop.exr");
        ReadmeExample(folder, output);
        Assert.True(File.Exists(output));
        var hdr = HdrImageFile.Read(output);
        var reference = BracketFiles.Load([folder]).Bracket;
        Assert.Equal((reference.Width, reference.Height), (hdr.Width, hdr.Height));
        Assert.Equal(-1, hdr.FindInvalidRadiance());
        Assert.Equal(0, hdr.Data.Count(v => !float.IsFinite(v) || v < 0));
        Assert.True(hdr.Data.Average(v => (double)v) > 0, "radiance is positive");
    }
}
