using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using HdrKit.Models.Blocks;

namespace HdrKit.Models.Auxiliary;

/// <summary>
/// The Semantic Knowledge Alignment Module of the knowledge-transfer paper (§3.4, Eq. 11) for one alignment
/// stage: encoders map the ORM's feature F_S (any width and stride, through a <see cref="FeatureAdapter"/>) and
/// SPGRM's feature F_T into a shared latent; a random binary mask I^M takes the teacher's latent where it is 1
/// and the student's where it is 0; a decoder maps the mix back to F_T's space:
/// F_E = Decoder(Ê_S(F_S) ⊙ (1 − I^M) + Ê_T(F_T) ⊙ I^M). The decoder must fill the student-covered part from
/// the student, which pushes the ORM's feature to carry the teacher's semantics (MAE-style masked reconstruction).
/// Encoders and decoder are "small" in the paper without further detail: a 1×1 and a 3×3 conv each.
/// Names: student_adapter, student_encoder, teacher_encoder, decoder.
/// </summary>
public sealed class Skam : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly FeatureAdapter student_adapter;
    private readonly Sequential student_encoder;
    private readonly Sequential teacher_encoder;
    private readonly Sequential decoder;

    public int StudentChannels { get; }
    public int TeacherChannels { get; }
    public int LatentChannels { get; }

    public Skam(int studentChannels, int teacherChannels, int latentChannels) : base(nameof(Skam))
    {
        StudentChannels = studentChannels;
        TeacherChannels = teacherChannels;
        LatentChannels = latentChannels;
        student_adapter = new FeatureAdapter(studentChannels, latentChannels);
        student_encoder = nn.Sequential(new LeakyRelu(0.2), nn.Conv2d(latentChannels, latentChannels, 3, padding: 1));
        teacher_encoder = nn.Sequential(
            nn.Conv2d(teacherChannels, latentChannels, 1), new LeakyRelu(0.2), nn.Conv2d(latentChannels, latentChannels, 3, padding: 1));
        decoder = nn.Sequential(
            nn.Conv2d(latentChannels, latentChannels, 3, padding: 1), new LeakyRelu(0.2), nn.Conv2d(latentChannels, teacherChannels, 1));
        RegisterComponents();
    }

    /// <summary>Ê_S: the student feature on the teacher's grid (height × width) in the latent space.</summary>
    public Tensor EncodeStudent(Tensor student, long height, long width) =>
        student_encoder.forward(student_adapter.Align(student, height, width));

    /// <summary>Ê_T: the teacher feature in the latent space.</summary>
    public Tensor EncodeTeacher(Tensor teacher)
    {
        if (teacher.dim() != 4 || teacher.shape[1] != TeacherChannels)
            throw new ArgumentException($"teacher feature must be [B,{TeacherChannels},H,W], got [{string.Join(",", teacher.shape)}]");
        return teacher_encoder.forward(teacher);
    }

    public Tensor Decode(Tensor latent) => decoder.forward(latent);

    /// <summary>
    /// F_E from the student F_S [B, C_S, h, w], the teacher F_T [B, C_T, H, W] and I^M [B, latent, H, W]
    /// (1 = teacher). Returns [B, C_T, H, W].
    /// </summary>
    public override Tensor forward(Tensor student, Tensor teacher, Tensor mask)
    {
        long b = teacher.shape[0], h = teacher.shape[2], w = teacher.shape[3];
        if (!mask.shape.SequenceEqual(new[] { b, LatentChannels, h, w }))
            throw new ArgumentException($"mask must be [{b},{LatentChannels},{h},{w}], got [{string.Join(",", mask.shape)}]");
        using var scope = NewDisposeScope();
        var mixed = EncodeStudent(student, h, w) * (Scalars.Of(1) - mask) + EncodeTeacher(teacher) * mask;
        return Decode(mixed).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// I^M ∈ {0,1}^{B×latent×H×W}, each element 1 (teacher) with probability <paramref name="teacherRatio"/>;
    /// the student's mask is its complement 1 − I^M.
    /// </summary>
    public Tensor RandomMask(long batch, long height, long width, double teacherRatio, Generator? generator = null, Device? device = null)
    {
        if (!(teacherRatio >= 0 && teacherRatio <= 1)) throw new ArgumentException($"mask ratio must lie in [0,1], got {teacherRatio}");
        using var scope = NewDisposeScope();
        var u = torch.rand([batch, LatentChannels, height, width], generator: generator, device: device);
        using var ratio = teacherRatio.ToScalar();
        return u.lt(ratio).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
