using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using HdrKit.Weights;

namespace HdrKit.Tests.Cli;

/// <summary>
/// `hdrkit merge` with SMNet takes brackets of any length (issue 14): one model, 2, 3 or 5 frames, given as a
/// registry name with --weights or as a model folder with model.json.
/// </summary>
[Collection("console")]
public sealed class SmNetMergeCommandTests : IDisposable
{
    private readonly TestData.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] WriteBracket(int exposures)
    {
        const int width = 32, height = 24;
        return Enumerable.Range(0, exposures).Select(i =>
        {
            double seconds = Math.Pow(2, 2 * i - 8);
            var frame = new FloatImage(width, height, 3);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                        frame[c, y, x] = GammaResponse.ToLdr((float)Math.Pow(2, 8.0 * x / width - 2) * (1 + 0.1f * c), seconds);
            var path = _dir.File($"n{exposures}_{i}.png");
            LdrImageFile.Write(path, frame);
            return path;
        }).ToArray();
    }

    /// <summary>A model folder as `merge --model <folder>` reads it: model.json naming smnet-small and its (untrained) weights.</summary>
    private string ModelFolder()
    {
        var folder = Path.Combine(_dir.Path, "smnet-model");
        Directory.CreateDirectory(folder);
        TorchSharp.torch.manual_seed(1);
        using (var net = ModelRegistry.Create("smnet-small"))
            SafeTensors.Save(Path.Combine(folder, "smnet.safetensors"), StateDictLoader.ToDictionary(net));
        File.WriteAllText(Path.Combine(folder, "model.json"), """{ "model": "smnet-small", "weights": "smnet.safetensors" }""");
        return folder;
    }

    private FloatImage Merge(string[] files, string name, params string[] model)
    {
        var ev = string.Join(",", Enumerable.Range(0, files.Length).Select(i => 2 * i - 8));
        var output = _dir.File(name);
        var (exit, _, err) = CliHarness.Run(new[] { "merge" }.Concat(files)
            .Concat(new[] { "-o", output, "--ev", ev }).Concat(model).ToArray());
        Assert.True(exit == 0, err);
        Assert.DoesNotContain("using images", err); // every frame was merged, none dropped
        return HdrImageFile.Read(output);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void One_smnet_merges_brackets_of_two_three_and_five(int exposures)
    {
        var folder = ModelFolder();
        var files = WriteBracket(exposures);
        var byName = Merge(files, $"name{exposures}.exr", "--model", "smnet-small", "--weights", Path.Combine(folder, "smnet.safetensors"));
        var byFolder = Merge(files, $"folder{exposures}.exr", "--model", folder);
        Assert.Equal((32, 24), (byName.Width, byName.Height));
        Assert.Equal(-1, byName.FindInvalidRadiance());
        // The same network either way: a folder read as anything else (the default model, the classical merge) differs.
        Assert.Equal(byName.Data, byFolder.Data);
    }
}
