using HdrKit.Util;

namespace HdrKit.Tests.Util;

public class DevicesTests
{
    [Theory]
    [InlineData("tpu")]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("cpu,cuda")]
    public void UnknownDevicesAreNamedWithTheChoices(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Devices.Resolve(name));
        Assert.Equal($"unknown device '{name}': use auto, cpu or cuda[:N]", e.Message);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    [InlineData(null)]
    public void CpuAndAutoResolveOnThisMachine(string? name) =>
        Assert.Equal(TorchSharp.DeviceType.CPU, Devices.Resolve(name).type);
}
