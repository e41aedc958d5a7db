namespace HdrKit.Models.Auxiliary;

/// <summary>
/// Shape of the semantic-prior-guided refinement model. The paper gives three fusion modules and priors from
/// four SKB levels; width and heads are not given and are sized for CPU training here.
/// </summary>
/// <param name="Width">Feature channels of SPGRM and of the pyramid's outputs.</param>
/// <param name="Heads">Attention heads of each Prior Fusion Block (must divide <paramref name="Width"/>).</param>
/// <param name="Modules">Semantic Guided Fusion Modules (the paper: 3); module k uses pyramid level Modules−1−k, coarse to fine.</param>
/// <param name="PriorChannels">Channels of the SKB levels, strides 2, 4, 8, 16 (DeepLabV3-MNV2: 48, 72, 160, 256).</param>
/// <param name="UsePriors">False = the ablation "w/o semantic prior": the same modules without pyramid and fusion blocks.</param>
public sealed record SpgrmConfig(int Width = 32, int Heads = 2, int Modules = 3, IReadOnlyList<int>? PriorChannels = null, bool UsePriors = true)
{
    public static readonly IReadOnlyList<int> DeepLabChannels = [48, 72, 160, 256];

    public IReadOnlyList<int> Priors => PriorChannels ?? DeepLabChannels;

    /// <summary>Pyramid level of each fusion module, coarse to fine, so semantics arrive before detail.</summary>
    public int[] PriorLevels => Enumerable.Range(0, Modules).Select(k => Modules - 1 - k).ToArray();

    /// <summary>
    /// The fusion module whose feature SKAM aligns the ORM's tap <paramref name="tap"/> (of <paramref name="taps"/>,
    /// in declared order, early to late) to: the taps spread over the modules, first → first, last → last, so an
    /// ORM with any number of taps pairs without per-model code.
    /// </summary>
    public int StageForTap(int tap, int taps)
    {
        if (taps < 1 || tap < 0 || tap >= taps) throw new ArgumentException($"tap {tap} of {taps} does not exist");
        return taps == 1 ? Modules - 1 : (int)Math.Round(tap * (Modules - 1) / (double)(taps - 1), MidpointRounding.AwayFromZero);
    }

    public void Validate()
    {
        if (Width < 1 || Heads < 1 || Width % Heads != 0) throw new ArgumentException($"SPGRM width {Width} must be a positive multiple of heads {Heads}");
        if (Modules < 1) throw new ArgumentException($"SPGRM needs at least one fusion module, got {Modules}");
        if (UsePriors && Modules > Priors.Count)
            throw new ArgumentException($"{Modules} fusion modules need as many prior levels; the bank gives {Priors.Count}");
    }
}
