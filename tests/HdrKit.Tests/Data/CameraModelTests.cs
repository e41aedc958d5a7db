using HdrKit.Data;
using HdrKit.Imaging;

namespace HdrKit.Tests.Data;

public class CameraModelTests
{
    private static FloatImage Uniform(float value, int size = 200) =>
        new(size, size, 3, Enumerable.Repeat(value, 3 * size * size).ToArray());

    [Fact]
    public void SaturatedSensorReadsExactlyWhiteWithoutNoise()
    {
        var cam = new CameraModel([1, 1, 1], new GammaCurve(2.2f), 1f / 2000, 2e-3f, 8);
        var ldr = cam.Capture(Uniform(0.5f, 50), 4.0, new Random(1)); // signal 2 > full well
        Assert.All(ldr.Data, v => Assert.Equal(1f, v));
    }

    [Theory]
    [InlineData(0.25f, 1f / 2000, 2e-3f)]
    [InlineData(0.02f, 1f / 10000, 1e-3f)]
    public void NoiseHasTheConfiguredPoissonGaussianVariance(float signal, float gain, float read)
    {
        var cam = new CameraModel([1, 1, 1], new GammaCurve(2.2f), gain, read, 16);
        var ldr = cam.Capture(Uniform(signal), 1.0, new Random(2));
        var linear = ldr.Data.Select(v => (double)cam.Linearise(v)).ToArray();
        double mean = linear.Average(), variance = linear.Select(v => (v - mean) * (v - mean)).Average();
        double expected = gain * signal + read * read;
        Assert.InRange(mean, signal - 3 * Math.Sqrt(expected / linear.Length) - 1e-5, signal + 3 * Math.Sqrt(expected / linear.Length) + 1e-5);
        Assert.InRange(variance / expected, 0.95, 1.05);
    }

    [Fact]
    public void EightBitCaptureHoldsOnly256Codes()
    {
        var cam = new CameraModel([1, 1, 1], new GammaCurve(2.2f), 1f / 1000, 5e-3f, 8);
        var ldr = cam.Capture(Uniform(0.3f, 64), 1.0, new Random(3));
        Assert.All(ldr.Data, v => Assert.Equal(Math.Round(v * 255), v * 255, 3));
    }

    [Fact]
    public void SmoothResponseIsMonotoneAndInvertible()
    {
        var rng = new Random(4);
        for (int k = 0; k < 5; k++)
        {
            var curve = SmoothResponseCurve.Sample(rng);
            float prev = -1;
            for (int i = 0; i <= 1000; i++)
            {
                float x = i / 1000f, e = curve.Apply(x);
                Assert.True(e > prev, $"{curve.Describe()} is not increasing at {x}");
                prev = e;
                Assert.True(Math.Abs(curve.Invert(e) - x) < 2e-3, $"{curve.Describe()}: invert(apply({x})) = {curve.Invert(e)}");
            }
            Assert.Equal(0f, curve.Apply(0f), 6);
            Assert.Equal(1f, curve.Apply(1f), 6);
        }
    }
}
