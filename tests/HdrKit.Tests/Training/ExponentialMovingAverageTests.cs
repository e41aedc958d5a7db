using HdrKit.Training;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

public sealed class ExponentialMovingAverageTests
{
    [Fact]
    public void UpdateBlendsTeacherTowardsStudent()
    {
        using var student = nn.Linear(2, 1);
        using var teacher = nn.Linear(2, 1);
        using (torch.no_grad())
        {
            student.weight!.copy_(torch.tensor(new float[] { 1, 2 }).reshape(1, 2));
            student.bias!.fill_(Scalars.Of(4));
            teacher.weight!.copy_(torch.tensor(new float[] { 3, 6 }).reshape(1, 2));
            teacher.bias!.fill_(Scalars.Of(0));
        }
        var ema = new ExponentialMovingAverage(student, teacher, 0.75);
        ema.Update();
        Assert.Equal(new[] { 2.5f, 5f }, teacher.weight!.data<float>().ToArray()); // 0.75·3 + 0.25·1, 0.75·6 + 0.25·2
        Assert.Equal(1f, teacher.bias!.item<float>());
        Assert.False(teacher.weight.requires_grad);

        ema.CopySource();
        Assert.True(teacher.weight.SameAs(student.weight!));
    }

    [Fact]
    public void MismatchedModulesAreRejected()
    {
        using var a = nn.Linear(2, 1);
        using var b = nn.Linear(3, 1);
        Assert.Throws<ArgumentException>(() => new ExponentialMovingAverage(a, b, 0.999));
        using var c = nn.Linear(2, 1);
        Assert.Throws<ArgumentException>(() => new ExponentialMovingAverage(a, c, 1.5));
    }
}
