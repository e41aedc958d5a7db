using HdrKit.Models.Auxiliary;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

public sealed class SkamTests
{
    [Fact]
    public void MasksAreBinaryWithTheRequestedTeacherShareAndReproducible()
    {
        using var scope = torch.NewDisposeScope();
        using var skam = new Skam(5, 8, 6);
        var m = skam.RandomMask(2, 20, 30, 0.3, new Generator(41));
        Assert.Equal(new long[] { 2, 6, 20, 30 }, m.shape);
        Assert.True((m.eq(Scalars.Of(0)) | m.eq(Scalars.Of(1))).all().item<bool>());
        // Student and teacher masks partition every latent element.
        var student = Scalars.Of(1) - m;
        Assert.Equal(0f, (student * m).abs().max().item<float>());
        Assert.True((student + m).eq(Scalars.Of(1)).all().item<bool>());
        Assert.InRange(m.mean().item<float>(), 0.27f, 0.33f);   // 7200 Bernoulli(0.3) draws: ±5 σ
        TensorAssert.Exact(m, skam.RandomMask(2, 20, 30, 0.3, new Generator(41)), "same seed");
        Assert.Equal(0f, skam.RandomMask(1, 4, 4, 0).sum().item<float>());
        Assert.Equal(96f, skam.RandomMask(1, 4, 4, 1).sum().item<float>());
    }

    [Fact]
    public void MixesTheLatentsAsEquation11()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(42);
        using var skam = new Skam(5, 8, 6);
        var student = torch.randn([1, 5, 6, 7], generator: g);   // a stride-2 tap of another width
        var teacher = torch.randn([1, 8, 12, 14], generator: g);
        var mask = skam.RandomMask(1, 12, 14, 0.5, g);
        var y = skam.forward(student, teacher, mask);
        Assert.Equal(teacher.shape, y.shape);
        var expected = skam.Decode(skam.EncodeStudent(student, 12, 14) * (Scalars.Of(1) - mask) + skam.EncodeTeacher(teacher) * mask);
        TensorAssert.Close(expected, y, 1e-6, "F_E");

        using var _ = torch.no_grad();
        var allTeacher = torch.ones_like(mask);
        TensorAssert.Close(skam.forward(student, teacher, allTeacher), skam.forward(student * Scalars.Of(3), teacher, allTeacher), 1e-6, "mask 1 ignores the student");
        var allStudent = torch.zeros_like(mask);
        TensorAssert.Close(skam.forward(student, teacher, allStudent), skam.forward(student, teacher * Scalars.Of(3), allStudent), 1e-6, "mask 0 ignores the teacher");
        Assert.Throws<ArgumentException>(() => skam.forward(student, teacher, torch.ones(1, 5, 12, 14)));
    }
}
