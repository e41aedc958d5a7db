using HdrKit.Training.Components;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training.Components;

public class MeanTeacherTests
{
    [Fact]
    public void Teacher_starts_as_the_student_and_follows_it_by_the_ema_formula()
    {
        using var student = nn.Linear(2, 1);
        using var teacher = nn.Linear(2, 1);
        using (no_grad())
        {
            student.weight!.copy_(tensor(new float[] { 1, 2 }).reshape(1, 2));
            student.bias!.fill_(Scalars.Of(4));
        }
        var mt = new MeanTeacher<nn.Module>(student, teacher, alpha: 0.5);
        Assert.Equal(new[] { 1f, 2f }, teacher.weight!.data<float>().ToArray());
        Assert.False(teacher.training);
        Assert.False(teacher.weight.requires_grad);
        using (no_grad())
        {
            student.weight.copy_(tensor(new float[] { 3, 6 }).reshape(1, 2));
            student.bias.fill_(Scalars.Of(0));
        }
        mt.Update();
        mt.Update();
        // θ ← α²·θ0 + (1 − α²)·θs = 0.25·old + 0.75·new
        Assert.Equal(new[] { 2.5f, 5f }, teacher.weight.data<float>().ToArray());
        Assert.Equal(1f, teacher.bias!.item<float>());
        Assert.Equal(2, mt.Updates);
        mt.Reset();
        Assert.Equal(new[] { 3f, 6f }, teacher.weight.data<float>().ToArray());
        Assert.Equal(0, mt.Updates);
    }

    [Fact]
    public void Teacher_predicts_in_eval_mode_without_gradients()
    {
        using var student = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5));
        using var teacher = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5));
        var mt = new MeanTeacher<nn.Module<Tensor, Tensor>>(student, teacher);
        Assert.Equal(MeanTeacher<nn.Module>.PaperAlpha, mt.Alpha);
        teacher.train();
        using var x = ones(64, 2);
        using var a = mt.Predict(t => t.forward(x));
        using var b = mt.Predict(t => t.forward(x));
        Assert.False(a.requires_grad);
        TensorAssert.Exact(a, b, "dropout off in the teacher");
        Assert.Throws<ArgumentException>(() => new MeanTeacher<nn.Module>(student, student));
    }
}
