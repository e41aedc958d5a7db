using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>
/// Mean teacher (Tarvainen &amp; Valpola 2017) as the semi-supervised method uses it: the teacher starts as
/// a copy of the student and follows it as an exponential moving average after every student step
/// (<see cref="ExponentialMovingAverage"/>, α = 0.999). The teacher is never trained and always predicts
/// in eval mode without gradients. TModule may be a composite (backbone + judge) so both are averaged.
/// </summary>
public sealed class MeanTeacher<TModule> where TModule : nn.Module
{
    public const double PaperAlpha = 0.999;

    private readonly ExponentialMovingAverage ema;

    public TModule Student { get; }
    public TModule Teacher { get; }
    public double Alpha => ema.Alpha;
    /// <summary>EMA updates since construction or the last <see cref="Reset"/>.</summary>
    public long Updates { get; private set; }

    /// <param name="teacher">A second instance of the student's architecture; its weights are overwritten.</param>
    public MeanTeacher(TModule student, TModule teacher, double alpha = PaperAlpha)
    {
        if (ReferenceEquals(student, teacher)) throw new ArgumentException("the teacher must be a separate instance");
        Student = student;
        Teacher = teacher;
        ema = new ExponentialMovingAverage(student, teacher, alpha);
        Reset();
    }

    /// <summary>Teacher := student (at the start and, e.g., at the end of the supervised warm-up).</summary>
    public void Reset()
    {
        ema.CopySource();
        Teacher.eval();
        Updates = 0;
    }

    /// <summary>θ_t ← α·θ_t + (1 − α)·θ_s; call after each optimiser step of the student.</summary>
    public void Update()
    {
        ema.Update();
        Updates++;
    }

    /// <summary>Runs the teacher in eval mode without gradients (pseudo labels, uncertainty).</summary>
    public T Predict<T>(Func<TModule, T> run)
    {
        Teacher.eval();
        using var noGrad = no_grad();
        return run(Teacher);
    }
}
