using HdrKit.Util;

namespace HdrKit.Tests.Util;

public class StageTimesTests
{
    [Fact]
    public void Repeated_stages_add_up_in_first_run_order()
    {
        var times = new StageTimes();
        times.Add("forward", TimeSpan.FromSeconds(1.5));
        times.Add("read", TimeSpan.FromSeconds(0.25));
        times.Add("forward", TimeSpan.FromSeconds(0.5));
        using (times.Measure("write")) { }
        Assert.Equal(["forward", "read", "write"], times.Stages.Select(s => s.Stage));
        Assert.Equal(TimeSpan.FromSeconds(2), times["forward"]);
        Assert.StartsWith("forward 2.00 s, read 0.25 s, write ", times.ToString());
    }
}
