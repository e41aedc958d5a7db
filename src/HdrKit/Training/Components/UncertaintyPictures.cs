using HdrKit.Data;
using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>
/// One PNG strip per scene of what the teacher made of it, left to right: the reference exposure, the pseudo
/// label through the μ-law (how it is scored), the normalised uncertainty (white = uncertain), the patch mask,
/// the pixel mask and their product, the area the student learns from (white = kept). When the scene has
/// ground truth it is appended through the μ-law. Tiles are split by mid-grey bars so that an all-kept (white)
/// mask still shows its edges.
/// </summary>
public static class UncertaintyPictures
{
    private const int Gap = 4;

    /// <param name="label">The pseudo label, linear HDR [1,3,H,W] or [3,H,W].</param>
    public static void Write(string path, TrainingScene scene, Tensor label, BiLevelMask mask)
    {
        using var scope = NewDisposeScope();
        var reference = scene.Frames[scene.ReferenceIndex].ToTensor();
        static Tensor Grey(Tensor m) => m.reshape(1, m.shape[^2], m.shape[^1]).expand(3, -1, -1);
        static Tensor Tonemapped(Tensor hdr) => MuLaw.Apply(hdr.clamp(Scalars.Of(0), Scalars.Of(1)));
        var tiles = new List<Tensor>
        {
            reference, Tonemapped(label.reshape(3, label.shape[^2], label.shape[^1])),
            Grey(mask.Normalised), Grey(mask.PatchKeep), Grey(mask.PixelKeep), Grey(mask.Keep),
        };
        if (scene.GroundTruth is { } gt) tiles.Add(Tonemapped(gt.ToTensor()));
        var gap = full(3, reference.shape[1], Gap, Scalars.Of(0.5f));
        var row = new List<Tensor>();
        foreach (var t in tiles)
        {
            if (row.Count > 0) row.Add(gap);
            row.Add(t.detach().cpu().to(ScalarType.Float32));
        }
        var strip = cat(row, 2);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        LdrImageFile.Write(path, FloatImage.FromTensor(strip.clamp(Scalars.Of(0), Scalars.Of(1))));
    }
}
