using System.Text;
using HdrKit.Util;

namespace HdrKit.Tests.Util;

public class AtomicTextTests
{
    [Fact]
    public void WritesTheSameBytesAsWriteAllTextAndLeavesNoTemporaryFile()
    {
        using var dir = new TestData.TempDir();
        const string text = "method,scene,psnr_mu\nclassical,μ-law,42.000000\n";
        File.WriteAllText(dir.File("plain.csv"), text);
        AtomicText.Write(dir.File("atomic.csv"), text);
        AtomicText.Write(dir.File("atomic.csv"), text + "x"); // replaces an existing file
        Assert.Equal(Encoding.UTF8.GetBytes(text + "x"), File.ReadAllBytes(dir.File("atomic.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("plain.csv")), File.ReadAllBytes(dir.File("atomic.csv"))[..^1]);
        Assert.Equal(["atomic.csv", "plain.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }
}
