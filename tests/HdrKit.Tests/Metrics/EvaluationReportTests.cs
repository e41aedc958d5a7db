using HdrKit.Metrics;

namespace HdrKit.Tests.Metrics;

public sealed class EvaluationReportTests
{
    [Fact]
    public void MarkdownAndCsvHoldRowsAndMeans()
    {
        var report = new EvaluationReport("ahdrnet", ["psnr_mu", "psnr_l"]);
        report.Add("001", new Dictionary<string, double> { ["psnr_mu"] = 40, ["psnr_l"] = 38 });
        report.Add("a,b", new Dictionary<string, double> { ["psnr_mu"] = 44 });

        Assert.Equal(42, report.Means()["psnr_mu"]);
        Assert.Equal(38, report.Means()["psnr_l"]); // the scene without PSNR-L is left out of its mean
        var md = report.ToMarkdown(2).Split('\n');
        Assert.Equal("| scene | psnr_mu | psnr_l |", md[0]);
        Assert.Equal("| 001 | 40.00 | 38.00 |", md[2]);
        Assert.Equal("| a,b | 44.00 |  |", md[3]);
        Assert.Equal("| **mean** (2) | **42.00** | **38.00** |", md[4]);
        var csv = report.ToCsv().Split('\n');
        Assert.Equal("method,scene,psnr_mu,psnr_l", csv[0]);
        Assert.Equal("ahdrnet,\"a,b\",44.000000,", csv[2]);
        Assert.Throws<ArgumentException>(() => report.Add("x", new Dictionary<string, double> { ["ssim"] = 1 }));
    }
}
