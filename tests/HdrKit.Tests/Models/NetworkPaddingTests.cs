using HdrKit.Models;
using HdrKit.Util;
using TorchSharp;

namespace HdrKit.Tests.Models;

public class NetworkPaddingTests
{
    [Theory]
    [InlineData(10, 8, 16)]
    [InlineData(16, 8, 16)]
    [InlineData(1, 1, 1)]
    [InlineData(33, 32, 64)]
    public void RoundsUpToTheMultiple(int value, int multiple, int expected) => Assert.Equal(expected, NetworkPadding.RoundUp(value, multiple));

    [Fact]
    public void PadsBottomAndRightByRepeatingTheBorder()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(Scalars.Of(2 * 6 * 3 * 5), dtype: torch.float32).reshape(1, 2, 6, 3, 5);
        var padded = NetworkPadding.Pad(x, 4);
        Assert.Equal(new long[] { 1, 2, 6, 4, 8 }, padded.shape);
        Assert.True(padded[.., .., .., ..3, ..5].allclose(x, rtol: 0, atol: 0), "the original pixels stay in the top-left corner");
        Assert.True(padded[.., .., .., 3, ..5].allclose(x[.., .., .., 2, ..], rtol: 0, atol: 0), "the last row repeats");
        Assert.True(padded[.., .., .., ..3, 7].allclose(x[.., .., .., .., 4], rtol: 0, atol: 0), "the last column repeats");
        Assert.Same(x, NetworkPadding.Pad(x, 1));
        Assert.Equal((1L, 3L), NetworkPadding.Amount(3, 5, 4));
    }
}
