using HdrKit.Data;
using HdrKit.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>One scene drawn by <see cref="SemiSupervisedPictures.FromCheckpoint"/>: its id, picture and kept share.</summary>
public sealed record ScenePicture(string SceneId, string Path, int Width, int Height, double KeptFraction);

/// <summary>
/// The pictures a semi run draws at validation (pseudo label, σ, patch and pixel mask), for scenes outside the
/// run: typically real brackets without ground truth. The checkpoint's teacher and judge predict, and the mask
/// takes the checkpoint's last σ range, so the pictures show what that teacher would have trusted.
/// </summary>
public static class SemiSupervisedPictures
{
    /// <param name="brackets">A bracket folder or a folder of bracket folders (exposure.txt or EXIF, as `merge` reads them).</param>
    /// <param name="downscale">Integer box-filter factor applied to every frame first (1 = full size).</param>
    public static IReadOnlyList<ScenePicture> FromCheckpoint(string checkpoint, string brackets, string outputFolder, int downscale = 1)
    {
        if (downscale < 1) throw new ArgumentException($"downscale must be ≥ 1, got {downscale}");
        var info = Checkpoint.Read(checkpoint);
        if (info.Recipe != SemiSupervisedRecipe.RegistryName)
            throw new ArgumentException($"{info.SidecarPath} is a '{info.Recipe}' checkpoint; pictures of pseudo labels need a '{SemiSupervisedRecipe.RegistryName}' one");
        var config = TrainingConfig.Parse(info.Config.ToJson(), info.SidecarPath);
        config.Model.Init = null;
        using var rng = get_rng_state();
        try
        {
            using var recipe = (SemiSupervisedRecipe)RecipeRegistry.Create(config, CPU);
            Checkpoint.Restore(info, recipe);
            var source = new BracketFolderSource(brackets, config.Model.Exposures);
            var pictures = new List<ScenePicture>();
            for (int i = 0; i < source.Count; i++)
            {
                var scene = Downscale(source.Scene(i), downscale);
                string path = Path.Combine(outputFolder, $"{scene.Id.Replace('/', '_')}.png");
                pictures.Add(new ScenePicture(scene.Id, path, scene.Width, scene.Height, recipe.DrawScene(scene, path)));
            }
            return pictures;
        }
        finally { set_rng_state(rng); }
    }

    private static TrainingScene Downscale(TrainingScene scene, int factor)
    {
        if (factor == 1) return scene;
        FloatImage Box(FloatImage image)
        {
            using var scope = NewDisposeScope();
            var t = nn.functional.avg_pool2d(image.ToTensor().unsqueeze(0), factor, factor);
            return FloatImage.FromTensor(t[0]);
        }
        return scene with { Frames = scene.Frames.Select(Box).ToArray(), Segments = null, MotionMask = null };
    }
}
