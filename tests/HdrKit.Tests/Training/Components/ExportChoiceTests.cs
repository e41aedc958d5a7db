using HdrKit.Training.Components;

namespace HdrKit.Tests.Training.Components;

public class ExportChoiceTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, double>> Means(double student, double teacher) => new()
    {
        ["student"] = new Dictionary<string, double> { ["psnr_mu"] = student, ["psnr_l"] = 50 },
        ["teacher"] = new Dictionary<string, double> { ["psnr_mu"] = teacher, ["psnr_l"] = 0 },
    };

    [Theory]
    [InlineData(20.0, 21.0, "teacher")]
    [InlineData(21.0, 20.0, "student")]
    [InlineData(20.0, 20.0, "student")]            // a tie keeps the default
    [InlineData(20.0, double.NaN, "student")]
    [InlineData(double.NaN, 20.0, "teacher")]
    public void The_higher_psnr_mu_wins_and_the_default_keeps_ties(double student, double teacher, string expected) =>
        Assert.Equal(expected, ExportChoice.Better(Means(student, teacher), "student"));

    [Fact]
    public void Another_metric_can_decide_and_an_unvalidated_default_fails()
    {
        Assert.Equal("student", ExportChoice.Better(Means(20, 21), "student", "psnr_l"));
        Assert.Throws<ArgumentException>(() => ExportChoice.Better(Means(20, 21), "ema"));
    }
}
