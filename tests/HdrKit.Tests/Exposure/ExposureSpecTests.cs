using HdrKit.Exposure;

namespace HdrKit.Tests.Exposure;

public class ExposureSpecTests
{
    [Fact]
    public void ParsesFractionsAndDecimals()
    {
        var t = ExposureSpec.ParseSeconds("1/250, 1/60,0.5 ,2", 4);
        Assert.Equal(new[] { 0.004, 1 / 60.0, 0.5, 2.0 }, t);
    }

    [Fact]
    public void StopsBecomeSecondsAroundOneSecond()
    {
        Assert.Equal(new[] { 0.25, 1.0, 4.0 }, ExposureSpec.ParseStops("-2,0,2", 3));
        Assert.Equal(new[] { 0.125, 1.0, 8.0 }, ExposureSpec.ParseStops("-3, 0, +3", 3));
        Assert.Equal(new[] { Math.Pow(2, -0.5), 1.0 }, ExposureSpec.ParseStops("-0.5,0", 2));
    }

    [Theory]
    [InlineData("1/250,1/60", 3, "has 2 values but there are 3 images")]
    [InlineData("1/250,0,1/15", 3, "must be a positive number of seconds")]
    [InlineData("1/250,-1,1/15", 3, "must be a positive number of seconds")]
    [InlineData("1/250,fast,1/15", 3, "is not a number of seconds")]
    [InlineData("1/0,1,2", 3, "divides by zero")]
    [InlineData("1/250,,1/15", 3, "empty value")]
    [InlineData("  ", 3, "is empty")]
    [InlineData("1/60,0.5,1/60", 3, "values 1 and 3 ('1/60', '1/60') are the same exposure")]
    public void BadExposuresGiveOneLineErrors(string text, int count, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => ExposureSpec.ParseSeconds(text, count));
        Assert.Contains(fragment, e.Message);
        Assert.StartsWith("--exposures", e.Message);
        Assert.DoesNotContain('\n', e.Message.Split(" (Parameter")[0]);
    }

    [Theory]
    [InlineData("-2,zero,2", "is not a number of stops")]
    [InlineData("-2,0", "has 2 values but there are 3 images")]
    [InlineData("-2,0,100", "outside ±64")]
    [InlineData("0,0,2", "values 1 and 2 ('0', '0') are the same exposure")]
    [InlineData("0,2,2.0", "values 2 and 3 ('2', '2.0') are the same exposure")]
    public void BadStopsGiveOneLineErrors(string text, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => ExposureSpec.ParseStops(text, 3));
        Assert.Contains(fragment, e.Message);
        Assert.StartsWith("--ev", e.Message);
    }
}
