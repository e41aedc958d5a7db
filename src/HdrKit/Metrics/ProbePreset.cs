namespace HdrKit.Metrics;

/// <summary>
/// A named real-bracket check without ground truth: the bracket's folder (relative to the team data folder), the
/// frame the merge must follow, and the box scored by <see cref="ReferenceStructureProbe"/>. Boxes sit where the subject moves between exposures, so a
/// merge that pastes a misaligned exposure there loses the reference's structure.
/// </summary>
public sealed record ProbePreset(string Name, string Folder, string ReferenceFile, ProbeBox Box, string What)
{
    /// <summary>The player's face, which the head turn and shift (some 40 px) between exposures ghost.</summary>
    public static ProbePreset PingpongFace { get; } = new("pingpong-face", "data/brackets/pingpong", "Img2.JPG", new ProbeBox(980, 1240, 90, 480), "the player's face");

    /// <summary>The walkers on the path of sculpture_garden, who cross several body widths between exposures.</summary>
    public static ProbePreset SculptureGardenWalkers { get; } = new("sculpture-garden-walkers", "data/brackets/sculpture_garden", "3.tif", new ProbeBox(390, 680, 420, 560), "the walkers in front of the Gates of Hell");

    public static IReadOnlyList<ProbePreset> All { get; } = [PingpongFace, SculptureGardenWalkers];

    public static ProbePreset Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown probe '{name}'; expected one of {string.Join(", ", All.Select(p => p.Name))}");

    public string ReferencePath(string sharedRoot) => Path.Combine(sharedRoot, Folder, ReferenceFile);
}
